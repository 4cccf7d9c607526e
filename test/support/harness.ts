import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { createDataSource } from '../../src/db/data-source';
import { createApp } from '../../src/app';
import { answerClientErrors } from '../../src/http/client-errors';
import { redisConnection, redisReady } from '../../src/jobs/queues';

/** One migrated test database and one real HTTP server for the whole run (see setup/root-hooks.ts). */
export const harness = {} as { ds: DataSource; redis: Redis; server: Server; baseUrl: string };

export function requireEnv(name: 'DATABASE_URL' | 'REDIS_URL'): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite through scripts/test.sh, which provisions it`);
  return v;
}

export async function startHarness(): Promise<void> {
  const ds = createDataSource(requireEnv('DATABASE_URL'), 20);
  await ds.initialize();
  // A clean schema every run: migrations are the only way the tables come to be.
  await ds.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await ds.runMigrations({ transaction: 'each' });
  const redis = redisConnection(requireEnv('REDIS_URL'), { forWorker: false });
  await redisReady(redis);
  const server = answerClientErrors(createApp({ ds, redis }).listen(0, '127.0.0.1'));
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  Object.assign(harness, { ds, redis, server, baseUrl: `http://127.0.0.1:${port}` });
}

export async function stopHarness(): Promise<void> {
  await new Promise<void>((resolve) => {
    harness.server?.close(() => resolve());
    harness.server?.closeAllConnections();
  });
  harness.redis?.disconnect();
  await harness.ds?.destroy();
}
