import { Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { OutboxRelay } from './relay';
import { openQueues, redisConnection } from './queues';
import { QUEUE_NAMES } from './job-types';
import { assertHandlers, runJob, type Handlers } from './run-job';
import { jobsProcessed } from '../metrics';
import { failpoint } from '../shared/failpoints';

export interface WorkerRuntime {
  relay: OutboxRelay;
  workers: Worker[];
  close(): Promise<void>;
}

/** The relay plus one BullMQ worker per queue; used by workers/main.ts and by tests in-process. */
export async function startWorkers(ds: DataSource, cfg: Config, handlers: Handlers, log: Logger): Promise<WorkerRuntime> {
  assertHandlers(handlers);
  const producer = redisConnection(cfg.REDIS_URL, { forWorker: true });
  const queues = openQueues(producer, cfg.QUEUE_PREFIX);
  const relay = new OutboxRelay(ds, queues, log.child({ part: 'relay' }), {
    databaseUrl: cfg.DATABASE_URL,
    pollMs: cfg.OUTBOX_POLL_MS,
  });
  const connections = [producer];
  const workers = QUEUE_NAMES.map((name) => {
    const connection = redisConnection(cfg.REDIS_URL, { forWorker: true });
    connections.push(connection);
    const w = new Worker(
      name,
      async (job) => {
        const outcome = await runJob(ds, handlers, job, log);
        failpoint('job.after-commit'); // committed, not yet acknowledged to BullMQ
        return outcome;
      },
      {
      connection,
      prefix: cfg.QUEUE_PREFIX,
      concurrency: cfg.WORKER_CONCURRENCY,
      lockDuration: cfg.WORKER_LOCK_MS,
      stalledInterval: cfg.WORKER_LOCK_MS,
      maxStalledCount: 5,
      },
    );
    w.on('completed', (job) => jobsProcessed.inc({ job: job.name, outcome: 'completed' }));
    w.on('failed', (job, err) => {
      jobsProcessed.inc({ job: job?.name ?? 'unknown', outcome: 'failed' });
      log.warn({ err, jobId: job?.id, job: job?.name }, 'job failed');
    });
    w.on('error', (err) => log.warn({ err }, 'worker error'));
    return w;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  await relay.start();
  if (cfg.SWEEP_EVERY_MS > 0) {
    // One schedule however many worker processes run: BullMQ keys it by its id.
    await queues.get('coupons')!.upsertJobScheduler('coupons-expire-sweep', { every: cfg.SWEEP_EVERY_MS }, { name: 'coupons.expire-sweep', data: {} });
    await queues.get('billing')!.upsertJobScheduler('bills-overdue-sweep', { every: cfg.SWEEP_EVERY_MS }, { name: 'bills.overdue-sweep', data: {} });
    await queues.get('settlement')!.upsertJobScheduler('settlement-close-sweep', { every: cfg.SWEEP_EVERY_MS }, { name: 'settlement.close-sweep', data: {} });
  }
  return {
    relay,
    workers,
    async close() {
      await relay.stop();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      // BullMQ closes the connections it made, not the ones it was given.
      for (const c of connections) c.disconnect();
    },
  };
}
