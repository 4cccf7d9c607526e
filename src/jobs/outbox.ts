import type { EntityManager } from 'typeorm';
import { JOBS, type JobName, type JobPayload } from './job-types';

export const OUTBOX_CHANNEL = 'outbox';

/**
 * Writes a job intent in the caller's transaction: it exists exactly when the state change it
 * follows commits. `key` makes the BullMQ job id deterministic (`<name>-<key>`), so the relay can
 * re-add it after a crash and BullMQ keeps one; writing the same intent twice is a no-op here too.
 */
export async function enqueueJob<N extends JobName>(
  em: EntityManager,
  name: N,
  key: string,
  payload: JobPayload<N>,
  opts: { tenantId?: string | null; runAt?: Date } = {},
): Promise<string> {
  const jobId = `${name}-${key}`;
  if (jobId.includes(':')) throw new Error(`job id may not contain ':' (${jobId})`);
  const data = JOBS[name].payload.parse(payload);
  await em.query(
    `WITH ins AS (
       INSERT INTO outbox (tenant_id, job_name, job_id, payload, run_at)
       VALUES ($1, $2, $3, $4, coalesce($5, now()))
       ON CONFLICT (job_id) DO NOTHING RETURNING id)
     SELECT pg_notify($6, '') FROM ins`,
    [opts.tenantId ?? null, name, jobId, JSON.stringify(data), opts.runAt ?? null, OUTBOX_CHANNEL],
  );
  return jobId;
}
