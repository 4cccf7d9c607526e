import type { DataSource } from 'typeorm';

/** A DataSource, or one connection (a QueryRunner) reading in its own snapshot. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

// Bookkeeping of authentication, not writes of the request: a token's last use, a session's last sight.
const BOOKKEEPING = ['last_used_at', 'last_seen_at'];

interface Table {
  name: string;
  tenant: boolean;
}

async function tables(ds: Queryable): Promise<Table[]> {
  // Every table the migrations made, so a new one is covered without a list to keep up to date.
  return ds.query(
    `SELECT t.table_name AS name, EXISTS (SELECT 1 FROM information_schema.columns c
              WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'tenant_id') AS tenant
       FROM information_schema.tables t
      WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name <> 'schema_migrations'
      ORDER BY t.table_name`,
  );
}

/**
 * A digest of every row of every table: equal before and after means nothing was written.
 *
 * With `tenants`, only the rows of those tenants, the vendor's own rows (tenant_id null) and the
 * tables that belong to no tenant are read: a refusal inside one test's fresh world is checked
 * without reading every row the suite has written before it (a write to another tenant's rows
 * would be a leak that the isolation tests catch as a 404 first).
 */
export async function fingerprint(ds: Queryable, tenants?: string[]): Promise<Record<string, string>> {
  const minus = BOOKKEEPING.map((c) => ` - '${c}'`).join('');
  const parts = (await tables(ds)).map((t) => {
    const where = tenants && t.tenant ? ' WHERE x.tenant_id = ANY($1::uuid[]) OR x.tenant_id IS NULL' : '';
    return `SELECT '${t.name}' AS t, count(*) || ':' || coalesce(md5(string_agg((to_jsonb(x)${minus})::text, ',' ORDER BY x::text)), '') AS d FROM ${t.name} x${where}`;
  });
  const rows: { t: string; d: string }[] = await ds.query(parts.join(' UNION ALL '), tenants ? [tenants] : []);
  return Object.fromEntries(rows.map((r) => [r.t, r.d]));
}

/**
 * Runs `act` and answers the tables it changed (none: it wrote nothing). The state before is read
 * lazily, from a snapshot taken before `act` started, and only when some transaction that took a
 * transaction id ended meanwhile (a write always takes one, a read never does): a read-only refusal
 * costs two tiny queries, not two readings of the database.
 */
export async function tablesWrittenBy<T>(ds: DataSource, act: () => Promise<T>, tenants?: string[]): Promise<{ result: T; written: string[] }> {
  const snapshot = ds.createQueryRunner();
  await snapshot.connect();
  try {
    await snapshot.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const before = await nextXid(snapshot);
    const result = await act();
    if ((await nextXid(ds)) === before) return { result, written: [] };
    const then = await fingerprint(snapshot, tenants);
    const now = await fingerprint(ds, tenants);
    return { result, written: Object.keys(now).filter((t) => now[t] !== then[t]) };
  } finally {
    await snapshot.query('ROLLBACK');
    await snapshot.release();
  }
}

/** The id the next transaction to write will get: it moves exactly when a transaction that wrote (or locked) ends. */
async function nextXid(ds: Queryable): Promise<string> {
  const rows: { x: string }[] = await ds.query(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`);
  return rows[0]?.x ?? '';
}
