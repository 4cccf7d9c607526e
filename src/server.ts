import type { Server } from 'node:http';
import { config } from './config';
import { logger } from './logger';
import { createDataSource } from './db/data-source';
import { createApp } from './app';
import { answerClientErrors } from './http/client-errors';
import { openQueues, redisConnection, redisReady } from './jobs/queues';
import { ensureBootstrapAdmin } from './tenancy/bootstrap-admin';
import { exitOnConfigError } from './shared/exit-on-config-error';

// The API process. SIGTERM: stop accepting, let in-flight requests finish, close the pools.
async function main(): Promise<void> {
  const cfg = exitOnConfigError(config);
  const ds = await createDataSource(cfg.DATABASE_URL, cfg.DB_POOL_SIZE).initialize();
  const redis = redisConnection(cfg.REDIS_URL, { forWorker: false });
  await redisReady(redis); // listen only once Redis answers: sign-in limits and queues need it
  const admin = await ensureBootstrapAdmin(ds, cfg);
  if (admin.token) {
    process.stdout.write(`\nFirst platform admin ${admin.email}; token (shown once): ${admin.token}\n\n`);
  }
  const queues = openQueues(redis, cfg.QUEUE_PREFIX);
  const app = createApp({ ds, redis, queues: [...queues.values()] });
  const server: Server = answerClientErrors(
    app.listen(cfg.PORT, cfg.HOST, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : cfg.PORT;
      logger.info({ url: `http://${cfg.HOST}:${port}` }, 'api listening');
    }),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    const force = setTimeout(() => {
      server.closeAllConnections();
    }, cfg.SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(force);
      void Promise.allSettled([ds.destroy(), ...[...queues.values()].map((q) => q.close())]).then(() => redis.quit()).then(() => {
        logger.info('api stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'api failed to start');
  process.exit(1);
});
