// The one DataSource the TypeORM CLI uses (migration:run / migration:revert).
import { createDataSource } from './src/db/data-source';

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
export default createDataSource(process.env.DATABASE_URL, 2);
