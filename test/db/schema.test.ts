import { expect } from 'chai';
import { DataSource } from 'typeorm';
import { harness, requireEnv } from '../support/harness';
import { createDataSource } from '../../src/db/data-source';

// Tables that belong to no tenant: vendor infrastructure. Everything else must carry tenant_id.
const VENDOR_TABLES = new Set(['schema_migrations', 'job_completions', 'products', 'billing_cycles', 'refund_policy', 'faults', 'settlement_months']);
// Identity, session and audit rows of vendor staff have no tenant; every other table's tenant_id is NOT NULL.
const NULLABLE_TENANT = new Set(['users', 'api_tokens', 'web_sessions', 'audit_events', 'outbox']);

describe('schema', () => {
  it('every tenant-owned table carries tenant_id (NOT NULL unless it also holds vendor rows)', async () => {
    const rows: { table_name: string; is_nullable: string | null }[] = await harness.ds.query(`
      SELECT t.table_name, c.is_nullable
        FROM information_schema.tables t
        LEFT JOIN information_schema.columns c
          ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'tenant_id'
       WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'`);
    expect(rows.length).to.be.greaterThan(5);
    const missing = rows.filter((r) => !VENDOR_TABLES.has(r.table_name) && r.is_nullable === null).map((r) => r.table_name);
    expect(missing, 'tables without tenant_id').to.deep.equal([]);
    const nullable = rows
      .filter((r) => r.is_nullable === 'YES' && !NULLABLE_TENANT.has(r.table_name) && !VENDOR_TABLES.has(r.table_name))
      .map((r) => r.table_name);
    expect(nullable, 'tenant tables whose tenant_id may be null').to.deep.equal([]);
  });

  it('tenant tables put tenant_id first in their primary key (ready to distribute by it)', async () => {
    const rows: { table_name: string; first: string }[] = await harness.ds.query(`
      SELECT tc.table_name, kcu.column_name AS first
        FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage kcu
          ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema AND kcu.ordinal_position = 1
       WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'`);
    const notFirst = rows
      .filter((r) => !VENDOR_TABLES.has(r.table_name) && !NULLABLE_TENANT.has(r.table_name) && r.first !== 'tenant_id')
      .map((r) => r.table_name);
    expect(notFirst).to.deep.equal([]);
  });

  it('the schema comes from migrations only, and every migration reverts cleanly and applies again', async () => {
    const url = new URL(requireEnv('DATABASE_URL'));
    const scratch = `migcheck_${process.pid}`;
    await harness.ds.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await harness.ds.query(`CREATE DATABASE ${scratch}`);
    url.pathname = `/${scratch}`;
    const ds: DataSource = createDataSource(url.toString(), 2);
    await ds.initialize();
    try {
      expect(ds.options.synchronize).to.equal(false);
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied.length).to.be.greaterThan(0);
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const left: { table_name: string }[] = await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      expect(left.map((r) => r.table_name)).to.deep.equal([]);
      expect((await ds.runMigrations({ transaction: 'each' })).length).to.equal(applied.length);
    } finally {
      await ds.destroy();
      await harness.ds.query(`DROP DATABASE IF EXISTS ${scratch}`);
    }
  });
});
