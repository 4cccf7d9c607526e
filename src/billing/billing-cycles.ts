import { ForbiddenError } from '@casl/ability';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { AppError, notFound } from '../shared/errors';
import { inTransaction } from '../db/tx';
import { enqueueJob } from '../jobs/outbox';
import type { CycleBody, CycleJson, ListCyclesQuery } from './billing.schema';
import { PERIODS_LOCK } from './ingest-usage';

const PERIOD_MS = { hourly: 3_600_000, daily: 86_400_000 } as const;

/** A billing run for one period; starting it again returns the same cycle. */
export async function startCycle(ctx: Ctx, body: z.output<typeof CycleBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('create', 'BillingRun');
  const start = new Date(body.periodStart);
  if (start.getTime() % PERIOD_MS[body.period] !== 0) throw new AppError('validation_failed', 'periodStart is not aligned to the period', [{ field: 'body.periodStart', code: 'not_aligned', message: `must start an ${body.period} period (UTC)` }]);
  const end = new Date(start.getTime() + PERIOD_MS[body.period]);
  return inTransaction(ctx.ds, async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(${PERIODS_LOCK})`);
    // The same period again is the same cycle; one that overlaps another cycle's is refused (R23:
    // both would bill the same usage). Every start takes the lock above, so two cannot race past this.
    const [other]: { id: string; period: string; period_start: Date }[] = await em.query(
      `SELECT id, period, period_start FROM billing_cycles
        WHERE tstzrange(period_start, period_end) && tstzrange($2::timestamptz, $3::timestamptz) AND NOT (period = $1 AND period_start = $2) LIMIT 1`,
      [body.period, start, end],
    );
    if (other) {
      throw new AppError('overlapping_period', `the ${other.period} cycle of ${other.period_start.toISOString()} already covers part of this period`, { cycleId: other.id });
    }
    const [row] = await em.query(
      `INSERT INTO billing_cycles (period, period_start, period_end, started_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (period, period_start) DO UPDATE SET period = EXCLUDED.period RETURNING id`,
      [body.period, start, end, ctx.actor.userId],
    );
    await enqueueJob(em, 'billing.cycle', row.id, { cycleId: row.id });
    return cycleJson(em, row.id);
  });
}

export async function cycleJson(em: Pick<DataSource, 'query'>, id: string) {
  const [c]: CycleRow[] = await em.query(`SELECT ${CYCLE_COLUMNS} FROM billing_cycles WHERE id = $1`, [id]);
  if (!c) throw notFound('billing cycle');
  return cycleRowJson(c);
}

const CYCLE_COLUMNS = 'id, period, period_start, period_end, status, failure, bills_done, bills_total';
interface CycleRow { id: string; period: string; period_start: Date; period_end: Date; status: 'running' | 'done' | 'failed'; failure: string | null; bills_done: number; bills_total: number }
const cycleRowJson = (c: CycleRow): z.infer<typeof CycleJson> => ({
  id: c.id, period: c.period, periodStart: c.period_start.toISOString(), periodEnd: c.period_end.toISOString(), status: c.status,
  failure: c.failure, progress: { done: c.bills_done, total: c.bills_total },
});

/** The platform admin's list of cycles, newest period first; `?status=failed` shows what stopped. */
export async function listCycles(ctx: Ctx, q: z.output<typeof ListCyclesQuery>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'BillingRun');
  const rows: CycleRow[] = await ctx.ds.query(
    `SELECT ${CYCLE_COLUMNS} FROM billing_cycles WHERE ($1::text IS NULL OR status = $1) ORDER BY period_start DESC, id DESC LIMIT $2`,
    [q.status ?? null, q.limit],
  );
  return { items: rows.map(cycleRowJson) };
}

/** One cycle and its progress (platform admin). */
export async function getCycle(ctx: Ctx, id: string) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'BillingRun');
  return cycleJson(ctx.ds, id);
}
