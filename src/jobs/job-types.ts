import { z } from '../http/zod';

/**
 * The registry of jobs: name -> queue and payload schema. Payloads carry ids, never objects; the
 * handler rebuilds what it needs from the database. Handlers live in workers/handlers.ts, typed
 * against this map, and the worker refuses to start if one is missing.
 */
export const JOBS = {
  'tenancy.deactivate-partner-tree': {
    queue: 'tenancy',
    payload: z.strictObject({ tenantId: z.uuid(), partnerId: z.uuid(), actorUserId: z.uuid().nullable(), reason: z.string() }),
  },
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;
export const QUEUE_NAMES = [...new Set(Object.values(JOBS).map((j) => j.queue))];
export const JOB_NAMES = Object.keys(JOBS) as JobName[];
