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
