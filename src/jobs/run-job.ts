import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { inTransaction } from '../db/tx';
import { failpoint } from '../shared/failpoints';
import { JOBS, type ChunkedJobName, type JobName, type JobPayload } from './job-types';

export interface JobCtx {
  readonly em: EntityManager;
  readonly log: Logger;
  readonly jobId: string;
}

export interface ChunkedJobCtx {
  readonly ds: DataSource;
  readonly log: Logger;
  readonly job: Job;
  /** Call inside the handler's last transaction: from then on a redelivery is a no-op. */
  complete(em: EntityManager): Promise<void>;
}

export type Handler<N extends JobName> = (payload: JobPayload<N>, ctx: JobCtx) => Promise<void>;
export type ChunkedHandler<N extends ChunkedJobName> = (payload: JobPayload<N>, ctx: ChunkedJobCtx) => Promise<void>;
export type Handlers = { [N in JobName]: N extends ChunkedJobName ? ChunkedHandler<N> : Handler<N> };

export function assertHandlers(handlers: Partial<Record<string, unknown>>): asserts handlers is Handlers {
  const missing = Object.keys(JOBS).filter((name) => typeof handlers[name] !== 'function');
  if (missing.length) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
}

const tenantOf = (data: unknown) => (data as { tenantId?: string }).tenantId ?? null;

async function claimCompletion(em: EntityManager, job: Job): Promise<boolean> {
  const claimed: unknown[] = await em.query(
    `INSERT INTO job_completions (job_id, job_name, tenant_id) VALUES ($1, $2, $3)
     ON CONFLICT (job_id) DO NOTHING RETURNING job_id`,
    [job.id, job.name, tenantOf(job.data)],
  );
  return claimed.length > 0;
}

/**
 * Runs a job exactly once in effect. The completion row is inserted first, in the handler's own
 * transaction: a second delivery blocks on it until the first commits (then skips) or rolls back
 * (then runs). A worker killed mid-way commits nothing, and the retry starts clean. Chunked jobs
 * commit step by step and claim their completion in their final step.
 */
export async function runJob(ds: DataSource, handlers: Handlers, job: Job, log: Logger): Promise<'done' | 'duplicate'> {
  const def = JOBS[job.name as JobName];
  if (!def || !job.id) throw new UnrecoverableError(`unknown job ${job.name}`);
  const parsed = def.payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`bad payload for ${job.name}: ${parsed.error.message}`);
  const jobLog = log.child({ jobId: job.id, job: job.name, attempt: job.attemptsMade + 1 });

  if (def.mode === 'chunked') {
    const done: unknown[] = await ds.query(`SELECT 1 FROM job_completions WHERE job_id = $1`, [job.id]);
    if (done.length > 0) {
      jobLog.info('already completed; delivery ignored');
      return 'duplicate';
    }
    const handler = handlers[job.name as ChunkedJobName] as ChunkedHandler<ChunkedJobName>;
    let completed = false;
    await handler(parsed.data as JobPayload<ChunkedJobName>, {
      ds,
      log: jobLog,
      job,
      complete: async (em) => {
        completed = await claimCompletion(em, job);
      },
    });
    jobLog.info({ completed }, 'job finished');
    return completed ? 'done' : 'duplicate';
  }

  return inTransaction(ds, async (em) => {
    if (!(await claimCompletion(em, job))) {
      jobLog.info('already completed; delivery ignored');
      return 'duplicate' as const;
    }
    const handler = handlers[job.name as JobName] as Handler<JobName>;
    await handler(parsed.data as JobPayload<JobName>, { em, log: jobLog, jobId: job.id! });
    failpoint('job.before-commit');
    jobLog.info('job completed');
    return 'done' as const;
  });
}
