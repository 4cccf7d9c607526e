import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { QueueEvents } from 'bullmq';
import { requireEnv } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/**
 * Starts workers/main.ts as a real process (relay + BullMQ workers) and resolves once it logs that
 * it started. FAILPOINTS in `env` make it SIGKILL itself at a named point.
 */
export async function startWorkerProcess(prefix: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  // node --import tsx (not the tsx CLI, which forks): a failpoint's SIGKILL then ends this very process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: requireEnv('DATABASE_URL'),
      REDIS_URL: requireEnv('REDIS_URL'),
      QUEUE_PREFIX: prefix,
      WORKER_LOCK_MS: '1000', // a killed worker's job is recovered within about two seconds
      OUTBOX_POLL_MS: '200',
      SWEEP_EVERY_MS: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"workers started"')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal}) before starting:\n${output}`)));
  });
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resolves with the return value when BullMQ reports the job completed (an event, not a poll). */
export function completionOf(events: QueueEvents, jobId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onDone = ({ jobId: id, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      if (id !== jobId) return;
      events.off('completed', onDone);
      events.off('failed', onFail);
      resolve(String(returnvalue));
    };
    const onFail = ({ jobId: id, failedReason }: { jobId: string; failedReason: string }) => {
      if (id === jobId) reject(new Error(`job ${jobId} failed: ${failedReason}`));
    };
    events.on('completed', onDone);
    events.on('failed', onFail);
  });
}

export async function queueEvents(queue: string, prefix: string): Promise<QueueEvents> {
  const events = new QueueEvents(queue, { connection: { url: requireEnv('REDIS_URL') }, prefix });
  await events.waitUntilReady();
  return events;
}
