import 'reflect-metadata';
import path from 'node:path';
import { DataSource } from 'typeorm';
/**
 * Entities are found by name (`*.entity.ts` beside the code of their domain), so this module, which
 * every process and the migration CLI load, depends on no domain.
 */
const ENTITIES = path.join(__dirname, '..', '**', '*.entity.{ts,js}');

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [ENTITIES],
    migrations: [path.join(__dirname, '..', '..', 'migrations', '*.ts')],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false, // schema comes from migrations only
    logging: false,
    extra: { max: poolSize, application_name: process.env.SERVICE_NAME ?? 'channel-coupons' },
  });
}
