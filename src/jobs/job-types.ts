import { z } from '../shared/zod';

/**
 * The registry of jobs: name -> queue, payload schema and mode. Payloads carry ids, never objects;
 * the handler rebuilds what it needs from the database. Handlers live in workers/handlers.ts, typed
 * against this map, and the worker refuses to start if one is missing.
 *
 * mode `transaction`: the handler runs inside one transaction with its completion row.
 * mode `chunked`: the handler commits in steps (progress stays visible) and must be idempotent
 * step by step; it records its own completion in its last transaction.
 */
const RequestRef = z.strictObject({ tenantId: z.uuid(), requestId: z.uuid() });

export const JOBS = {
  'tenancy.deactivate-partner-tree': {
    queue: 'tenancy',
    mode: 'transaction',
    payload: z.strictObject({ tenantId: z.uuid(), partnerId: z.uuid(), actorUserId: z.uuid().nullable(), reason: z.string() }),
  },
  'issuance.route': { queue: 'issuance', mode: 'transaction', payload: RequestRef },
  'issuance.expire': { queue: 'issuance', mode: 'transaction', payload: RequestRef },
  'issuance.issue': { queue: 'issuance', mode: 'chunked', payload: RequestRef },
  // Scheduled (every SWEEP_EVERY_MS), not relayed: it follows the clock, not a committed change.
  'coupons.expire-sweep': { queue: 'coupons', mode: 'chunked', payload: z.strictObject({}) },
  'billing.cycle': { queue: 'billing', mode: 'chunked', payload: z.strictObject({ cycleId: z.uuid() }) },
  'bills.overdue-sweep': { queue: 'billing', mode: 'chunked', payload: z.strictObject({}) },
  // R37: scheduled like the expiry sweep; it puts a close-month intent per due month in the outbox.
  'settlement.close-sweep': { queue: 'settlement', mode: 'transaction', payload: z.strictObject({}) },
  'settlement.close-month': { queue: 'settlement', mode: 'transaction', payload: z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }) },
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;
export type ChunkedJobName = { [N in JobName]: (typeof JOBS)[N]['mode'] extends 'chunked' ? N : never }[JobName];
export const QUEUE_NAMES = [...new Set(Object.values(JOBS).map((j) => j.queue))];
export const JOB_NAMES = Object.keys(JOBS) as JobName[];
