import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { z } from '../shared/zod';
import { AppError } from '../shared/errors';
import { InstantText } from '../shared/schemas';

// Keyset pagination on (created_at, id) (or another instant column): stable under inserts, and every page costs one index
// range scan however deep it is. The cursor is opaque to clients.
const CursorShape = z.tuple([InstantText, z.uuid()]);

function decode(cursor: string): [string, string] {
  try {
    return CursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('validation_failed', 'invalid cursor', [{ field: 'query.cursor', code: 'invalid_cursor', message: 'not a cursor this API issued' }]);
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  opts: { limit: number; cursor?: string; direction?: 'ASC' | 'DESC' },
  key: keyof T & string = 'createdAt',
): Promise<Page<T>> {
  const a = qb.alias;
  const dir = opts.direction ?? 'ASC';
  const column = qb.expressionMap.mainAlias!.metadata.findColumnWithPropertyName(key)!.databaseName;
  if (opts.cursor) {
    const [at, id] = decode(opts.cursor);
    const op = dir === 'ASC' ? '>' : '<';
    qb.andWhere(`("${a}"."${column}", "${a}"."id") ${op} (:cursorAt::timestamptz, :cursorId::uuid)`, { cursorAt: at, cursorId: id });
  }
  const rows = await qb.orderBy(`${a}.${key}`, dir).addOrderBy(`${a}.id`, dir).take(opts.limit + 1).getMany();
  const items = rows.slice(0, opts.limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > opts.limit && last
      ? Buffer.from(JSON.stringify([(last[key] as Date).toISOString(), last.id])).toString('base64url')
      : null;
  return { items, nextCursor };
}

/** `alias.column = value` for each filter that was given; absent (undefined) filters add nothing. */
export function whereEquals<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, filters: Record<string, unknown>): SelectQueryBuilder<T> {
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    if (!/^[a-z_]+$/.test(column)) throw new Error(`not a column name: ${column}`);
    qb.andWhere(`"${qb.alias}"."${column}" = :f_${column}`, { [`f_${column}`]: value });
  }
  return qb;
}
