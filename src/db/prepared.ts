import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/** Runs one SQL statement with positional values and answers its rows. */
export type Sql = <T extends QueryResultRow>(text: string, values: unknown[]) => Promise<T[]>;

const names = new Map<string, string>();

/**
 * One statement outside any transaction, as a named prepared statement on whichever pooled
 * connection runs it: PostgreSQL parses and plans it once per connection instead of per request.
 * For the hot paths (authentication, checkout), where planning cost as much as executing.
 */
export function pooled(ds: DataSource): Sql {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  return async <T extends QueryResultRow>(text: string, values: unknown[]) => {
    let name = names.get(text);
    if (!name) {
      name = `p${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    return (await pool.query<T>({ name, text, values })).rows;
  };
}

/** The same shape inside a transaction (unnamed: a transaction keeps no statement of its own). */
export function inTx(em: EntityManager): Sql {
  return async <T extends QueryResultRow>(text: string, values: unknown[]) => (await em.query(text, values)) as T[];
}
