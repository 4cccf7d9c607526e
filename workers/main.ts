import { config } from '../src/config';
import { logger } from '../src/logger';
import { createDataSource } from '../src/db/data-source';
import { startWorkers } from '../src/jobs/worker-runtime';
import { handlers } from './handlers';
import { exitOnConfigError } from '../src/shared/exit-on-config-error';

// The worker process: outbox relay + BullMQ workers. SIGTERM lets running jobs finish, then exits.
async function main(): Promise<void> {
  const cfg = exitOnConfigError(config);
  const log = logger.child({ process: 'workers' });
  const ds = await createDataSource(cfg.DATABASE_URL, cfg.DB_POOL_SIZE).initialize();
  const runtime = await startWorkers(ds, cfg, handlers, log);
  log.info({ queues: runtime.workers.map((w) => w.name) }, 'workers started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'workers stopping');
    const force = setTimeout(() => process.exit(1), cfg.SHUTDOWN_GRACE_MS + 5000).unref();
    await runtime.close();
    await ds.destroy();
    clearTimeout(force);
    log.info('workers stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'workers failed to start');
  process.exit(1);
});
