import { Queue, type ConnectionOptions } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import { QUEUE_NAMES } from './job-types';

/** Worker connections must retry forever (maxRetriesPerRequest null) or BullMQ workers stop. */
export function redisConnection(url: string, opts: { forWorker: boolean }): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: opts.forWorker ? null : 3,
    enableOfflineQueue: opts.forWorker,
    lazyConnect: false,
  });
}

/**
 * Resolves once `redis` is connected (or at once when it already is). A connection made without
 * an offline queue refuses commands until then, so a process that serves requests waits for this
 * first: otherwise the first sign-in after a start meets a refused rate-limit check (503).
 */
export async function redisReady(redis: Redis, timeoutMs = 30_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  // Completed jobs stay a week: a re-added job id within that time is a no-op in BullMQ as well as
  // in job_completions.
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export function openQueues(connection: ConnectionOptions, prefix: string): Map<string, Queue> {
  return new Map(QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })]));
}
