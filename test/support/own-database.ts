import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { harness, requireEnv } from './harness';
import { createDataSource } from '../../src/db/data-source';

/**
 * A database of a test's own, cloned from a migrated, empty template: for checks over the whole
 * database (the global reconcile report) that other test files' fixtures must not be able to fail.
 * The template is migrated once per run; each clone is a `CREATE DATABASE ... TEMPLATE` (a file copy).
 */
export interface OwnDatabase {
  ds: DataSource;
  url: string;
  drop(): Promise<void>;
}

const TEMPLATE = 'coupons_test_template';
let template: Promise<void> | undefined;

function urlOf(name: string): string {
  const url = new URL(requireEnv('DATABASE_URL'));
  url.pathname = `/${name}`;
  return url.toString();
}

async function migrateTemplate(): Promise<void> {
  await harness.ds.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  await harness.ds.query(`CREATE DATABASE ${TEMPLATE}`);
  const ds = createDataSource(urlOf(TEMPLATE), 1);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy(); // a template may have no connection while it is copied
  }
}

export async function ownDatabase(): Promise<OwnDatabase> {
  template ??= migrateTemplate();
  await template;
  const name = `coupons_own_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await harness.ds.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
  const url = urlOf(name);
  const ds = createDataSource(url, 4);
  await ds.initialize();
  return {
    ds,
    url,
    async drop() {
      await ds.destroy();
      await harness.ds.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
