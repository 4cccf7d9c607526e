import { ForbiddenError } from '@casl/ability';
import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../http/zod';
import { route } from '../http/route';
import { Id, IdParams, InstantText, PageQuery, page } from '../http/schemas';
import { Currency, MAX_MINOR_UNITS, MinorUnits } from '../http/money-schema';
import { ProductCode } from '../catalog/product.schema';
import type { Ctx } from '../http/context';
import { AppError, conflict, notFound } from '../http/errors';
import { authorize, findReadable, listQuery } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { paginate, whereEquals } from '../http/pagination';
import { enqueueJob } from '../jobs/outbox';
import { Bill } from './bill.entity';

const UsageBody = z
  .strictObject({
    records: z
      .array(
        z.strictObject({
          usageId: z.string().min(1).max(128).describe('The caller\'s id: a record sent twice is kept once'),
          accountId: Id,
          productCode: ProductCode,
          currency: Currency,
          amount: MinorUnits,
          occurredAt: InstantText,
        }),
      )
      .min(1)
      .max(10_000),
  })
  .openapi('UsageBatch');
const CycleBody = z
  .strictObject({ period: z.enum(['hourly', 'daily']), periodStart: InstantText.describe('Aligned to the hour or the UTC day') })
  .openapi('StartBillingCycle');
const CycleJson = z
  .object({
    id: Id, period: z.string(), periodStart: z.string(), periodEnd: z.string(), status: z.enum(['running', 'done', 'failed']),
    failure: z.string().nullable().describe('Why a failed cycle stopped'), progress: z.object({ done: z.number(), total: z.number() }),
  })
  .openapi('BillingCycle');
const ListCyclesQuery = z.strictObject({ status: z.enum(['running', 'done', 'failed']).optional(), limit: PageQuery.limit });
export const BillJson = z
  .object({
    id: Id, accountId: Id, productCode: z.string(), currency: z.string(), periodStart: z.string(), periodEnd: z.string(),
    amount: z.string(), couponDeduction: z.string(), cashDue: z.string(), status: z.enum(['unpaid', 'paid', 'overdue']), dueAt: z.string(),
  })
  .openapi('Bill');
const billJson = (b: Bill): z.infer<typeof BillJson> => ({
  id: b.id, accountId: b.accountId, productCode: b.productCode, currency: b.currency, periodStart: b.periodStart.toISOString(),
  periodEnd: b.periodEnd.toISOString(), amount: b.amount.toString(), couponDeduction: b.couponDeduction.toString(),
  cashDue: b.cashDue.toString(), status: b.status, dueAt: b.dueAt.toISOString(),
});

/**
 * Usage ingest and cycle starts take this lock (shared and exclusive): a cycle starts only once no
 * ingest is in flight, so a record either is stored before its period's cycle exists (and that
 * cycle reads it) or finds the cycle and is refused. No record is left unbilled in a billed period.
 */
const PERIODS_LOCK = `hashtextextended('billing.periods', 0)`;

/**
 * R23: usage in, idempotent per (account, usage id); accounts are looked up, never trusted. A
 * record whose period a cycle has already started billing is refused (it would never be billed),
 * and so is a batch that would take one account's usage of a product in a UTC day past what a bill
 * can hold (a bill's amount is a bigint: such usage could never be billed either).
 */
async function ingestUsage(ctx: Ctx, body: z.output<typeof UsageBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('create', 'Usage');
  const r = body.records;
  // One transaction: a batch naming an unknown account rolls back whole.
  return inTransaction(ctx.ds, async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock_shared(${PERIODS_LOCK})`);
    const billed: { usage_id: string; cycle_id: string }[] = await em.query(
      `SELECT x.usage_id, c.id AS cycle_id
         FROM unnest($1::text[], $2::timestamptz[]) AS x(usage_id, occurred_at)
         JOIN billing_cycles c ON c.period_start <= x.occurred_at AND x.occurred_at < c.period_end
        ORDER BY x.usage_id LIMIT 100`,
      [r.map((x) => x.usageId), r.map((x) => x.occurredAt)],
    );
    if (billed.length) {
      throw new AppError(409, 'period_already_billed', 'some records fall in a period whose billing cycle has started; none was stored', {
        records: billed.map((b) => ({ usageId: b.usage_id, cycleId: b.cycle_id })),
      });
    }
    const [res]: { accepted: number; unknown: string[]; too_large: { accountId: string; productCode: string; currency: string; day: string }[] }[] = await em.query(
      `WITH x AS (
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[]) AS x(usage_id, account_id, product_code, currency, amount, occurred_at)
       ), ins AS (
         INSERT INTO usage_records (tenant_id, account_id, usage_id, product_code, currency, amount, occurred_at)
         SELECT a.tenant_id, x.account_id, x.usage_id, x.product_code, x.currency, x.amount, x.occurred_at
           FROM x JOIN accounts a ON a.id = x.account_id
         ON CONFLICT DO NOTHING RETURNING tenant_id, account_id, product_code, currency, amount, occurred_at
       ), days AS (
         SELECT tenant_id, account_id, product_code, currency, date_trunc('day', occurred_at, 'UTC') AS day, sum(amount) AS amount
           FROM ins GROUP BY 1, 2, 3, 4, 5
       ), over AS (
         SELECT d.account_id, d.product_code, d.currency, d.day
           FROM days d
          WHERE d.amount + coalesce((SELECT sum(u.amount) FROM usage_records u
                                      WHERE u.tenant_id = d.tenant_id AND u.account_id = d.account_id AND u.product_code = d.product_code
                                        AND u.currency = d.currency AND u.occurred_at >= d.day AND u.occurred_at < d.day + interval '1 day'), 0) > $7
          ORDER BY 1, 2, 3, 4 LIMIT 100
       )
       SELECT (SELECT count(*) FROM ins)::int AS accepted,
              ARRAY(SELECT DISTINCT x.account_id::text FROM x WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = x.account_id)) AS unknown,
              (SELECT coalesce(json_agg(json_build_object('accountId', account_id, 'productCode', product_code, 'currency', currency,
                                                          'day', to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD'))), '[]') FROM over) AS too_large`,
      [r.map((x) => x.usageId), r.map((x) => x.accountId), r.map((x) => x.productCode), r.map((x) => x.currency), r.map((x) => x.amount.toString()), r.map((x) => x.occurredAt), MAX_MINOR_UNITS.toString()],
    );
    if (res.unknown.length) throw new AppError(422, 'unknown_accounts', 'some records name unknown accounts; none was stored', { accountIds: res.unknown });
    if (res.too_large.length) {
      throw new AppError(422, 'usage_total_too_large', `an account's usage of a product in one UTC day may not pass ${MAX_MINOR_UNITS}; none was stored`, { lines: res.too_large });
    }
    return { received: r.length, accepted: res.accepted, duplicates: r.length - res.accepted };
  });
}

const PERIOD_MS = { hourly: 3_600_000, daily: 86_400_000 } as const;

/** A billing run for one period; starting it again returns the same cycle. */
async function startCycle(ctx: Ctx, body: z.output<typeof CycleBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('create', 'BillingRun');
  const start = new Date(body.periodStart);
  if (start.getTime() % PERIOD_MS[body.period] !== 0) throw new AppError(400, 'validation_failed', 'periodStart is not aligned to the period', [{ field: 'body.periodStart', code: 'not_aligned', message: `must start an ${body.period} period (UTC)` }]);
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
      throw new AppError(409, 'overlapping_period', `the ${other.period} cycle of ${other.period_start.toISOString()} already covers part of this period`, { cycleId: other.id });
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

async function cycleJson(em: Pick<DataSource, 'query'>, id: string) {
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
async function listCycles(ctx: Ctx, q: z.output<typeof ListCyclesQuery>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'BillingRun');
  const rows: CycleRow[] = await ctx.ds.query(
    `SELECT ${CYCLE_COLUMNS} FROM billing_cycles WHERE ($1::text IS NULL OR status = $1) ORDER BY period_start DESC, id DESC LIMIT $2`,
    [q.status ?? null, q.limit],
  );
  return { items: rows.map(cycleRowJson) };
}

async function settleBill(ctx: Ctx, id: string) {
  return inTransaction(ctx.ds, async (em) => {
    const b = await findReadable(ctx, em, Bill, 'Bill', id, { lock: true });
    authorize(ctx, 'settle', 'Bill', b);
    if (b.status === 'paid') throw conflict('the bill is already settled');
    await em.query(`UPDATE bills SET status = 'paid', settled_at = now(), settled_by = $3 WHERE tenant_id = $1 AND id = $2`, [b.tenantId, id, ctx.actor.userId]);
    return billJson(await em.getRepository(Bill).findOneByOrFail({ tenantId: b.tenantId, id }));
  });
}

const ListBillsQuery = z.strictObject({ ...PageQuery, accountId: Id.optional(), status: z.enum(['unpaid', 'paid', 'overdue']).optional() });

export function billingRoutes(r: Router, ds: DataSource): void {
  const tags = ['Billing'];
  route(r, ds, {
    method: 'post', path: '/v1/usage', tags, errors: [403, 409, 422], summary: 'Ingest pay-as-you-go usage records (metering; platform admin)',
    body: UsageBody, response: z.object({ received: z.number(), accepted: z.number(), duplicates: z.number() }),
    handler: (ctx, { body }) => ingestUsage(ctx, body),
  });
  route(r, ds, {
    method: 'post', path: '/v1/billing-cycles', tags, status: 202, errors: [403, 409], summary: 'Run the billing cycle of a period (R23)',
    body: CycleBody, response: CycleJson, handler: (ctx, { body }) => startCycle(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/billing-cycles', tags, errors: [403], summary: 'Billing cycles, newest period first (platform admin; ?status=failed for the ones that stopped)',
    query: ListCyclesQuery, response: z.object({ items: z.array(CycleJson) }).openapi('BillingCycleList'), handler: (ctx, { query }) => listCycles(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/billing-cycles/:id', tags, errors: [403, 404], summary: 'A billing cycle and its progress',
    params: IdParams, response: CycleJson,
    handler: async (ctx, { params }) => {
      ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'BillingRun');
      return cycleJson(ctx.ds, params.id);
    },
  });
  route(r, ds, {
    method: 'get', path: '/v1/bills', tags, errors: [], summary: 'Pay-as-you-go bills in your scope, newest first',
    query: ListBillsQuery, response: page(BillJson).openapi('BillPage'),
    handler: async (ctx, { query }) => {
      const qb = whereEquals(listQuery(ctx, ctx.ds.manager, Bill, 'Bill'), { account_id: query.accountId, status: query.status });
      const p = await paginate(qb, { ...query, direction: 'DESC' });
      return { items: p.items.map(billJson), nextCursor: p.nextCursor };
    },
  });
  route(r, ds, {
    method: 'post', path: '/v1/bills/:id/settle', tags, errors: [403, 404, 409], summary: 'Mark a bill paid (platform admin)',
    params: IdParams, response: BillJson, handler: (ctx, { params }) => settleBill(ctx, params.id),
  });
}
