import { randomUUID } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { harness, requireEnv } from './harness';
import { loadConfig } from '../../src/config';
import { logger } from '../../src/logger';
import { startWorkers, type WorkerRuntime } from '../../src/jobs/worker-runtime';
import { QUEUE_NAMES } from '../../src/jobs/job-types';
import { handlers } from '../../workers/handlers';
import { nth } from '../../src/db/rows';

/**
 * Remembers every job BullMQ reports completed or failed on the given prefix, so a test can wait
 * for a job id whether it finished before or after the test asked (events, never sleeps).
 */
export class JobWatcher {
  private readonly done = new Map<string, string[]>();
  private readonly failed = new Map<string, string[]>();
  private readonly waiters: { jobId: string; kind: 'done' | 'failed'; nth: number; resolve: (v: string) => void }[] = [];
  private constructor(private readonly events: QueueEvents[]) {
    for (const e of events) {
      e.on('completed', ({ jobId, returnvalue }) => this.record(this.done, jobId, String(returnvalue)));
      e.on('failed', ({ jobId, failedReason }) => this.record(this.failed, jobId, failedReason));
    }
  }

  static async start(prefix: string, redisUrl = requireEnv('REDIS_URL')): Promise<JobWatcher> {
    const events = QUEUE_NAMES.map((q) => new QueueEvents(q, { connection: { url: redisUrl }, prefix }));
    await Promise.all(events.map((e) => e.waitUntilReady()));
    return new JobWatcher(events);
  }

  private record(into: Map<string, string[]>, jobId: string, value: string): void {
    const list = into.get(jobId) ?? [];
    list.push(value);
    into.set(jobId, list);
    this.flush();
  }

  private flush(): void {
    for (const w of [...this.waiters]) {
      const seen = (w.kind === 'done' ? this.done : this.failed).get(w.jobId) ?? [];
      if (seen.length >= w.nth) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(nth(seen, w.nth - 1));
      }
    }
  }

  private wait(kind: 'done' | 'failed', jobId: string, nth: number): Promise<string> {
    return new Promise((resolve) => {
      this.waiters.push({ jobId, kind, nth, resolve });
      this.flush();
    });
  }

  /** The return value of the job's `nth` completion (a job id can complete again once replayed). */
  completion(jobId: string, nth = 1): Promise<string> {
    return this.wait('done', jobId, nth);
  }

  /** The reason of the job's `nth` failed attempt. */
  failure(jobId: string, nth = 1): Promise<string> {
    return this.wait('failed', jobId, nth);
  }

  async close(): Promise<void> {
    await Promise.all(this.events.map((e) => e.close()));
  }
}

/** Real BullMQ workers and the relay, in this process, on a queue prefix of the test's own. */
export async function startInProcessWorkers(env: Record<string, string> = {}): Promise<{ runtime: WorkerRuntime; watcher: JobWatcher; prefix: string; close(): Promise<void> }> {
  const prefix = `w${randomUUID().slice(0, 8)}`;
  const cfg = loadConfig({ ...process.env, QUEUE_PREFIX: prefix, OUTBOX_POLL_MS: '100', WORKER_LOCK_MS: '5000', SWEEP_EVERY_MS: '0', ...env });
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

export type InProcessWorkers = Awaited<ReturnType<typeof startInProcessWorkers>>;

/**
 * The one start/stop of in-process workers for a describe block: real BullMQ workers and the relay
 * start before its tests (after the hooks registered earlier) and stop after them, even when a test
 * stopped them itself (`stop()`, `start()` again). Read `.watcher` and `.prefix` inside tests and hooks, once they started.
 */
export function useWorkers(env: Record<string, string> = {}): { readonly watcher: JobWatcher; readonly prefix: string; start(): Promise<void>; stop(): Promise<void> } {
  let running: InProcessWorkers | undefined;
  const started = (): InProcessWorkers => {
    if (!running) throw new Error('the workers are not running: read them inside a test or a hook after useWorkers()');
    return running;
  };
  const start = async () => {
    running ??= await startInProcessWorkers(env);
  };
  before(start);
  const stop = async () => {
    const r = running;
    running = undefined;
    await r?.close();
  };
  after(stop);
  return {
    get watcher() {
      return started().watcher;
    },
    get prefix() {
      return started().prefix;
    },
    start,
    stop,
  };
}
