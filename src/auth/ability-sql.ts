import { rulesToAST } from '@casl/ability/extra';
import type { Condition } from '@ucast/mongo2js';
import type { EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Action, AppAbility, Subject } from './abilities';

/**
 * Turns the CASL rules for (action, subject) into a WHERE clause, so that a list shows exactly the
 * rows a single-record check would allow: one policy, never a hand-written second copy (R1-R3).
 * Only the operators the policy uses are supported; anything else fails loudly, not open.
 */
export function scopeQuery<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  ability: AppAbility,
  action: Action,
  subject: Exclude<Subject, 'all'>,
): SelectQueryBuilder<T> {
  const params: Record<string, unknown> = {};
  const bind: Bind = (value, many) => {
    const p = `casl_${Object.keys(params).length}`;
    params[p] = value;
    return many ? `IN (:...${p})` : `= :${p}`;
  };
  const sql = scopeSql(ability, action, subject, qb.alias, qb.expressionMap.mainAlias!.metadata, bind);
  return qb.andWhere(sql, params);
}

/**
 * The same clause for hand-written SQL: values are appended to `values` and referred to as `$n`,
 * so a hot path can check scope inside the one statement that also reads what it needs.
 */
export function scopeSqlPositional(
  ability: AppAbility,
  action: Action,
  subject: Exclude<Subject, 'all'>,
  alias: string,
  meta: EntityMetadata,
  values: unknown[],
): string {
  return scopeSql(ability, action, subject, alias, meta, (value, many) => {
    values.push(value);
    return many ? `= ANY($${values.length})` : `= $${values.length}`;
  });
}

/** Binds a value and answers the comparison with it: `= <value>`, or with `many` membership in a list. */
type Bind = (value: unknown, many: boolean) => string;

function scopeSql(ability: AppAbility, action: Action, subject: Exclude<Subject, 'all'>, alias: string, meta: EntityMetadata, bind: Bind): string {
  const ast = rulesToAST(ability, action, subject);
  return ast === null ? 'FALSE' : toSql(ast, alias, meta, bind);
}

function toSql(node: Condition, alias: string, meta: EntityMetadata, bind: Bind): string {
  const value = (node as { value: unknown }).value;
  switch (node.operator) {
    case 'and':
    case 'or': {
      const parts = (value as Condition[]).map((c) => toSql(c, alias, meta, bind));
      if (parts.length === 0) return node.operator === 'and' ? 'TRUE' : 'FALSE';
      return `(${parts.join(node.operator === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not': {
      const inner = Array.isArray(value) ? (value as Condition[]) : [value as Condition];
      return `NOT (${inner.map((c) => toSql(c, alias, meta, bind)).join(' AND ')})`;
    }
    default:
      return fieldSql(node, alias, meta, bind);
  }
}

/**
 * Conditions on a relation rather than a column: CASL checks them against an array property of the
 * record (equality means "contains"); SQL asks the relation table.
 */
const RELATIONS: Record<string, Record<string, (alias: string, eq: string) => string>> = {
  coupons: {
    holderIds: (alias, eq) =>
      `EXISTS (SELECT 1 FROM coupon_holders h WHERE h.tenant_id = "${alias}"."tenant_id" AND h.coupon_id = "${alias}"."id" AND h.account_id ${eq})`,
  },
};

function fieldSql(node: Condition, alias: string, meta: EntityMetadata, bind: Bind): string {
  const { field, value } = node as unknown as { field: string; value: unknown };
  const relation = RELATIONS[meta.tableName]?.[field];
  if (relation) {
    if (node.operator !== 'eq' || value === null) throw new Error(`CASL operator ${node.operator} on ${meta.name}.${field} has no SQL translation`);
    return relation(alias, bind(value, false));
  }
  const column = meta.findColumnWithPropertyName(field);
  if (!column) throw new Error(`CASL condition on unknown field ${meta.name}.${field}`);
  const col = `"${alias}"."${column.databaseName}"`;
  switch (node.operator) {
    case 'eq':
      return value === null ? `${col} IS NULL` : `${col} ${bind(value, false)}`;
    case 'ne':
      return value === null ? `${col} IS NOT NULL` : `NOT coalesce(${col} ${bind(value, false)}, FALSE)`;
    case 'in':
      return (value as unknown[]).length === 0 ? 'FALSE' : `${col} ${bind(value, true)}`;
    case 'nin':
      return (value as unknown[]).length === 0 ? 'TRUE' : `NOT coalesce(${col} ${bind(value, true)}, FALSE)`;
    default:
      throw new Error(`CASL operator ${node.operator} has no SQL translation`);
  }
}
