import { ForbiddenError } from '@casl/ability';
import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../http/zod';
import { route } from '../http/route';
import { Id, IdParams, PageQuery, page } from '../http/schemas';
import { Currency, MinorUnits } from '../http/money-schema';
import { ProductCode } from '../catalog/product.schema';
import type { Ctx } from '../http/context';
import { AppError, conflict, notFound } from '../http/errors';
import { authorize, findReadable, scopedQuery } from '../auth/scope';
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
          occurredAt: z.iso.datetime({ offset: true }),
        }),
      )
      .min(1)
      .max(10_000),
  })
  .openapi('UsageBatch');
const CycleBody = z
  .strictObject({ period: z.enum(['hourly', 'daily']), periodStart: z.iso.datetime({ offset: true }).describe('Aligned to the hour or the UTC day') })
  .openapi('StartBillingCycle');
const CycleJson = z
  .object({ id: Id, period: z.string(), periodStart: z.string(), periodEnd: z.string(), status: z.string(), progress: z.object({ done: z.number(), total: z.number() }) })
  .openapi('BillingCycle');
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

/** R23: usage in, idempotent per (account, usage id); accounts are looked up, never trusted. */
async function ingestUsage(ctx: Ctx, body: z.output<typeof UsageBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('create', 'Usage');
  const r = body.records;
  // One transaction: a batch naming an unknown account rolls back whole.
  return inTransaction(ctx.ds, async (em) => {
    const [res]: { accepted: number; unknown: string[] }[] = await em.query(
      `WITH x AS (
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[]) AS x(usage_id, account_id, product_code, currency, amount, occurred_at)
       ), ins AS (
         INSERT INTO usage_records (tenant_id, account_id, usage_id, product_code, currency, amount, occurred_at)
         SELECT a.tenant_id, x.account_id, x.usage_id, x.product_code, x.currency, x.amount, x.occurred_at
           FROM x JOIN accounts a ON a.id = x.account_id
         ON CONFLICT DO NOTHING RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS accepted,
              ARRAY(SELECT DISTINCT x.account_id::text FROM x WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = x.account_id)) AS unknown`,
      [r.map((x) => x.usageId), r.map((x) => x.accountId), r.map((x) => x.productCode), r.map((x) => x.currency), r.map((x) => x.amount.toString()), r.map((x) => x.occurredAt)],
    );
    if (res.unknown.length) throw new AppError(422, 'unknown_accounts', 'some records name unknown accounts; none was stored', { accountIds: res.unknown });
    return { received: r.length, accepted: res.accepted, duplicates: r.length - res.accepted };
  });
}

const PERIOD_MS = { hourly: 3_600_000, daily: 86_400_000 } as const;

/** A billing run for one period; starting it again returns the same cycle. */
async function startCycle(ctx: Ctx, body: z.output<typeof CycleBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('create', 'BillingRun');
  const start = new Date(body.periodStart);
  if (start.getTime() % PERIOD_MS[body.period] !== 0) throw new AppError(400, 'validation_failed', 'periodStart is not aligned to the period', [{ field: 'body.periodStart', code: 'not_aligned', message: `must start an ${body.period} period (UTC)` }]);
  return inTransaction(ctx.ds, async (em) => {
    const [row] = await em.query(
      `INSERT INTO billing_cycles (period, period_start, period_end, started_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (period, period_start) DO UPDATE SET period = EXCLUDED.period RETURNING id`,
      [body.period, start, new Date(start.getTime() + PERIOD_MS[body.period]), ctx.actor.userId],
    );
    await enqueueJob(em, 'billing.cycle', row.id, { cycleId: row.id });
    return cycleJson(em, row.id);
  });
}

async function cycleJson(em: Pick<DataSource, 'query'>, id: string) {
  const [c] = await em.query(`SELECT id, period, period_start, period_end, status, bills_done, bills_total FROM billing_cycles WHERE id = $1`, [id]);
  if (!c) throw notFound('billing cycle');
  return { id: c.id, period: c.period, periodStart: c.period_start.toISOString(), periodEnd: c.period_end.toISOString(), status: c.status, progress: { done: c.bills_done, total: c.bills_total } };
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
    method: 'post', path: '/v1/usage', tags, errors: [403, 422], summary: 'Ingest pay-as-you-go usage records (metering; platform admin)',
    body: UsageBody, response: z.object({ received: z.number(), accepted: z.number(), duplicates: z.number() }),
    handler: (ctx, { body }) => ingestUsage(ctx, body),
  });
  route(r, ds, {
    method: 'post', path: '/v1/billing-cycles', tags, status: 202, errors: [403], summary: 'Run the billing cycle of a period (R23)',
    body: CycleBody, response: CycleJson, handler: (ctx, { body }) => startCycle(ctx, body),
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
      const qb = whereEquals(scopedQuery(ctx, ctx.ds.manager, Bill, 'Bill'), { account_id: query.accountId, status: query.status });
      const p = await paginate(qb, { ...query, direction: 'DESC' });
      return { items: p.items.map(billJson), nextCursor: p.nextCursor };
    },
  });
  route(r, ds, {
    method: 'post', path: '/v1/bills/:id/settle', tags, errors: [403, 404, 409], summary: 'Mark a bill paid (platform admin)',
    params: IdParams, response: BillJson, handler: (ctx, { params }) => settleBill(ctx, params.id),
  });
}
