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
  const ast = rulesToAST(ability, action, subject);
  if (ast === null) return qb.andWhere('FALSE');
  const params: Record<string, unknown> = {};
  const sql = toSql(ast, qb.alias, qb.expressionMap.mainAlias!.metadata, params);
  return qb.andWhere(sql, params);
}

function toSql(node: Condition, alias: string, meta: EntityMetadata, params: Record<string, unknown>): string {
  const value = (node as { value: unknown }).value;
  switch (node.operator) {
    case 'and':
    case 'or': {
      const parts = (value as Condition[]).map((c) => toSql(c, alias, meta, params));
      if (parts.length === 0) return node.operator === 'and' ? 'TRUE' : 'FALSE';
      return `(${parts.join(node.operator === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not': {
      const inner = Array.isArray(value) ? (value as Condition[]) : [value as Condition];
      return `NOT (${inner.map((c) => toSql(c, alias, meta, params)).join(' AND ')})`;
    }
    default:
      return fieldSql(node, alias, meta, params);
  }
}

function fieldSql(node: Condition, alias: string, meta: EntityMetadata, params: Record<string, unknown>): string {
  const { field, value } = node as unknown as { field: string; value: unknown };
  const column = meta.findColumnWithPropertyName(field);
  if (!column) throw new Error(`CASL condition on unknown field ${meta.name}.${field}`);
  const col = `"${alias}"."${column.databaseName}"`;
  const p = `casl_${Object.keys(params).length}`;
  switch (node.operator) {
    case 'eq':
      if (value === null) return `${col} IS NULL`;
      params[p] = value;
      return `${col} = :${p}`;
    case 'ne':
      if (value === null) return `${col} IS NOT NULL`;
      params[p] = value;
      return `${col} IS DISTINCT FROM :${p}`;
    case 'in':
      if ((value as unknown[]).length === 0) return 'FALSE';
      params[p] = value;
      return `${col} IN (:...${p})`;
    case 'nin':
      if ((value as unknown[]).length === 0) return 'TRUE';
      params[p] = value;
      return `${col} NOT IN (:...${p})`;
    default:
      throw new Error(`CASL operator ${node.operator} has no SQL translation`);
  }
}
