import { randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { harness, requireEnv } from './harness';
import { loadConfig } from '../../src/config';
import { logger } from '../../src/logger';
import { startWorkers, type WorkerRuntime } from '../../src/jobs/worker-runtime';
import { QUEUE_NAMES } from '../../src/jobs/job-types';
import { handlers } from '../../workers/handlers';

/**
 * Remembers every job BullMQ reports completed or failed on the given prefix, so a test can wait
 * for a job id whether it finished before or after the test asked (events, never sleeps).
 */
export class JobWatcher {
  private readonly done = new Map<string, string>();
  private readonly failed = new Map<string, string>();
  private readonly waiters = new Map<string, { resolve: (v: string) => void; reject: (e: Error) => void }[]>();
  private constructor(private readonly events: QueueEvents[]) {
    for (const e of events) {
      e.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, String(returnvalue), null));
      e.on('failed', ({ jobId, failedReason }) => this.settle(jobId, null, failedReason));
    }
  }

  static async start(prefix: string, redisUrl = requireEnv('REDIS_URL')): Promise<JobWatcher> {
    const events = QUEUE_NAMES.map((q) => new QueueEvents(q, { connection: { url: redisUrl }, prefix }));
    await Promise.all(events.map((e) => e.waitUntilReady()));
    return new JobWatcher(events);
  }

  private settle(jobId: string, value: string | null, failure: string | null): void {
    if (value !== null) this.done.set(jobId, value);
    // A failed attempt may be retried; only report failure to waiters if nothing completes.
    else this.failed.set(jobId, failure ?? 'failed');
    if (value !== null) for (const w of this.waiters.get(jobId) ?? []) w.resolve(value);
    if (value !== null) this.waiters.delete(jobId);
  }

  completion(jobId: string): Promise<string> {
    const seen = this.done.get(jobId);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(jobId) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(jobId, list);
    });
  }

  failures(jobId: string): string | undefined {
    return this.failed.get(jobId);
  }

  async close(): Promise<void> {
    await Promise.all(this.events.map((e) => e.close()));
  }
}

/** Real BullMQ workers and the relay, in this process, on a queue prefix of the test's own. */
export async function startInProcessWorkers(env: Record<string, string> = {}): Promise<{ runtime: WorkerRuntime; watcher: JobWatcher; prefix: string; close(): Promise<void> }> {
  const prefix = `w${randomUUID().slice(0, 8)}`;
  const cfg = loadConfig({ ...process.env, QUEUE_PREFIX: prefix, OUTBOX_POLL_MS: '100', WORKER_LOCK_MS: '5000', ...env });
  const watcher = await JobWatcher.start(prefix);
  const runtime = await startWorkers(harness.ds, cfg, handlers, logger);
  return {
    runtime,
    watcher,
    prefix,
    async close() {
      await runtime.close();
      await watcher.close();
    },
  };
}
