// Writes the API's OpenAPI document (what GET /openapi.json answers) without starting a server or
// reaching a database: the routes register themselves in the document when createApp mounts them,
// and createApp only builds objects (a DataSource is not connected before initialize(), an ioredis
// client with lazyConnect opens no socket before its first command). The web app's types are
// generated from this document (npm run web:types).
//   node --import tsx scripts/openapi-json.ts [out.json]    (stdout without a file)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import IORedis from 'ioredis';
import { createDataSource } from '../src/db/data-source';
import { createApp } from '../src/app';
import { openApiDocument } from '../src/http/openapi-registry';

// config() requires both URLs to be well formed; nothing here connects to either.
process.env.DATABASE_URL ??= 'postgres://openapi-json.invalid/unused';
process.env.REDIS_URL ??= 'redis://openapi-json.invalid:6379';

const ds = createDataSource(process.env.DATABASE_URL);
const redis = new IORedis(process.env.REDIS_URL, { lazyConnect: true });
createApp({ ds, redis });
const json = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
redis.disconnect();

const out = process.argv[2];
if (out) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json);
} else {
  process.stdout.write(json);
}
