import { ForbiddenError } from '@casl/ability';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from '../shared/zod';
import type { Ctx } from '../auth/context';
import { FIGURES, ledgerFigureSql } from '../budgets/budget-ledger.sql';
import { first } from '../db/rows';
import { LIABILITY_CHECK, SETTLEMENT_CHECK } from '../settlement/settlement-checks.sql';

/**
 * R25, R26: the money invariant, checked over the whole database by a few set-based statements in
 * one read-only REPEATABLE READ transaction, so every section sees the same snapshot while
 * payments go on. Each section reports how many rows it checked, the true number of mismatches
 * and the first LIMIT of them (ordered, so two runs list the same ones). Amounts are strings of
 * integer minor units, cast to text in SQL: never a JS number.
 *
 * - coupons: balance = sum of the coupon's ledger (a coupon without ledger rows sums to 0).
 * - ledgerChain: each ledger row's balance_after = the running sum of its coupon's ledger up to it.
 * - negative: coupons with a balance below 0 (the CHECK forbids it; reported anyway).
 * - orders: total = coupon_deduction + cash, coupon_deduction = what the `deduct` rows carrying the
 *   order's id took from coupons, and the `return` rows carrying it (a refund, R27/R28) give back
 *   between 0 and that much. Returns are kept apart from deductions on purpose: a refunded order
 *   keeps the deduction it was paid with, so netting them would report every refunded order.
 * - deductions: every `deduct` or `return` row is on exactly one order or bill, which exists and
 *   (for an order) names the same coupon.
 * - refunds (R27, R28): every refunded order, refund row or order carrying `return` rows: the order
 *   is `refunded` with exactly one refund, whose cash paid and coupon deduction are the order's, and
 *   whose coupon_return equals the `return` rows carrying the order's id.
 * - voucherPools (R32): a pool's balance = the sum of its ledger, its granted amount = its `grant`
 *   rows, and each voucher made from it took exactly its face value (`generate`) and gave back
 *   exactly what its own `reclaim` rows took off it.
 * - bills: amount = coupon_deduction + cash_due, coupon_deduction = what the `deduct` ledger rows
 *   carrying the bill's id took (the ledger is the one record of which coupons paid a bill), and
 *   `return` rows carrying it give back between 0 and that much.
 * - usage (R23): each usage record is on at most one bill (same account, product, currency, and a
 *   bill period holding its instant), and on exactly one once a finished cycle covers it.
 * - budgets (R36): each budget's granted, allocated, reserved and committed = the sums of its
 *   ledger, what it allocated = what its resellers' budgets were granted out of it, and a request
 *   that has ended (issued, rejected, cancelled, expired) holds nothing reserved.
 * - liability (R38): per partner, cost bearer and currency, issued - deducted + returned - revoked -
 *   expired - reclaimed = the sum of those coupons' balances.
 * - settlements (R37, R38): every closed month's stored lines, totals and liabilities against the
 *   ledger, recomputed by the SQL that closed it (src/settlement/settlement-checks.sql.ts).
 */
export const DEFAULT_LIMIT = 1000;

const Count = z.number().int().nonnegative();
const Amount = z.string().regex(/^-?\d+$/).openapi({ description: 'Integer minor units, as a string', example: '5000' });
const Uuid = z.string();
const section = <T extends z.ZodType>(item: T) => ({ checked: Count, mismatchCount: Count.describe('The true count; the list stops at the limit'), mismatches: z.array(item) });

export const ReconcileReport = z
  .object({
    checkedAt: z.string().describe('The snapshot every section was read from'),
    ok: z.boolean().describe('No mismatch and no negative balance anywhere'),
    coupons: z.object(section(z.object({ couponId: Uuid, tenantId: Uuid, balance: Amount, ledgerSum: Amount }))),
    ledgerChain: z.object(section(z.object({ couponId: Uuid, tenantId: Uuid, entryId: z.string(), balanceAfter: Amount, runningSum: Amount }))),
    negative: z.object({ count: Count, couponIds: z.array(Uuid) }),
    orders: z.object(
      section(z.object({ orderId: Uuid, tenantId: Uuid, total: Amount, couponDeduction: Amount, cash: Amount, ledgerDeduction: Amount, ledgerReturned: Amount })),
    ),
    deductions: z.object(
      section(
        z.object({
          entryId: z.string(),
          couponId: Uuid,
          tenantId: Uuid,
          type: z.enum(['deduct', 'return']),
          orderId: Uuid.nullable(),
          billId: Uuid.nullable(),
          problem: z.enum(['no_order_or_bill', 'order_and_bill', 'unknown_order', 'other_coupon', 'unknown_bill']),
        }),
      ),
    ),
    refunds: z.object(
      section(
        z.object({
          orderId: Uuid,
          tenantId: Uuid,
          refundId: Uuid.nullable(),
          orderStatus: z.string(),
          couponReturn: Amount.nullable().describe('What the refund row says returned to the coupon'),
          ledgerReturned: Amount.describe('Sum of the `return` rows carrying the order'),
          termsDiffer: z.boolean().describe('The refund\'s cash paid or coupon deduction is not the order\'s'),
        }),
      ),
    ),
    voucherPools: z.object(
      section(
        z.object({
          poolId: Uuid,
          tenantId: Uuid,
          balance: Amount,
          ledgerSum: Amount,
          granted: Amount,
          ledgerGranted: Amount,
          vouchersOff: Count.describe('Vouchers whose face value is not what the pool gave, or whose reclaim is not what the pool got back'),
        }),
      ),
    ),
    bills: z
      .object(
        section(
          z.object({
            billId: Uuid,
            tenantId: Uuid,
            total: Amount,
            couponDeduction: Amount,
            cashDue: Amount,
            ledgerDeduction: Amount,
            ledgerReturned: Amount,
          }),
        ),
      )
    ,
    usage: z
      .object(
        section(
          z.object({
            tenantId: Uuid,
            accountId: Uuid,
            usageId: z.string(),
            occurredAt: z.string(),
            bills: Count.describe('How many bills cover the record: its account, product, currency and a period holding its instant'),
            problem: z.enum(['billed_twice', 'not_billed']),
          }),
        ),
      )
      .describe('Every usage record is on at most one bill, and on one once a finished cycle covers it (R23)'),
    budgets: z
      .object(
        section(
          z.object({
            budgetId: Uuid,
            tenantId: Uuid,
            granted: Amount,
            allocated: Amount,
            reserved: Amount,
            committed: Amount,
            ledger: z.object({ granted: Amount, allocated: Amount, reserved: Amount, committed: Amount }),
            allocatedToResellers: Amount.describe("What the resellers' allocations out of this budget add up to"),
            heldByEndedRequests: Amount.describe('What requests that have ended (issued, rejected, cancelled, expired) still hold reserved'),
          }),
        ),
      )
      .describe("Each budget's figures are the sum of its ledger, its allocations add up, and no ended request holds a reservation (R36)"),
    liability: z
      .object(section(z.object({ tenantId: Uuid, partnerId: Uuid, costBearer: z.string(), currency: z.string(), outstanding: Amount, balance: Amount })))
      .describe('Per partner, cost bearer and currency: issued - deducted + returned - revoked - expired - reclaimed = the coupons\' balances (R38)'),
    settlements: z
      .object(
        section(
          z.object({
            problem: z.enum(['line_not_in_ledger', 'line_missing', 'totals_differ', 'liability_not_in_ledger', 'liability_missing']),
            month: z.string(),
            tenantId: Uuid,
            partnerId: Uuid,
            currency: z.string(),
            detail: z.record(z.string(), z.string().nullable()).describe('The row that differs, its values as strings'),
          }),
        ),
      )
      .describe('Every closed month against the ledger: lines, totals and liabilities (R37, R38)'),
  })
  .openapi('ReconcileReport');
export type Report = z.output<typeof ReconcileReport>;

type Section<K extends keyof Report> = NonNullable<Report[K]>;
interface Row<T> {
  checked: string;
  mismatch_count: string;
  mismatches: T[];
}
const toSection = <T>(r: Row<T>) => ({ checked: Number(r.checked), mismatchCount: Number(r.mismatch_count), mismatches: r.mismatches });

/** The first $1 rows of `bad`, as a JSON array built by `obj`, with the counts of `checked` and `bad`. */
const summary = (obj: string, order: string) => `
SELECT (SELECT count(*) FROM checked) AS checked,
       (SELECT count(*) FROM bad) AS mismatch_count,
       (SELECT coalesce(json_agg(${obj} ORDER BY ${order}), '[]') FROM (SELECT * FROM bad ORDER BY ${order} LIMIT $1) b) AS mismatches`;

const COUPONS_SQL = `
WITH ledger AS (
  SELECT tenant_id, coupon_id, sum(amount) AS total FROM coupon_ledger GROUP BY tenant_id, coupon_id
), checked AS (
  SELECT c.tenant_id, c.id, c.balance, coalesce(l.total, 0) AS ledger_sum
    FROM coupons c LEFT JOIN ledger l ON l.tenant_id = c.tenant_id AND l.coupon_id = c.id
), bad AS (
  SELECT * FROM checked WHERE balance <> ledger_sum
)
${summary(`json_build_object('couponId', id, 'tenantId', tenant_id, 'balance', balance::text, 'ledgerSum', ledger_sum::text)`, 'tenant_id, id')},
       (SELECT count(*) FROM checked WHERE balance < 0) AS negative_count,
       (SELECT coalesce(json_agg(id ORDER BY id), '[]') FROM (SELECT id FROM checked WHERE balance < 0 ORDER BY id LIMIT $1) n) AS negative`;

const CHAIN_SQL = `
WITH checked AS (
  SELECT tenant_id, coupon_id, id, balance_after,
         sum(amount) OVER (PARTITION BY tenant_id, coupon_id ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
    FROM coupon_ledger
), bad AS (
  SELECT * FROM checked WHERE balance_after <> running
)
${summary(
  `json_build_object('couponId', coupon_id, 'tenantId', tenant_id, 'entryId', id::text, 'balanceAfter', balance_after::text, 'runningSum', running::text)`,
  'tenant_id, coupon_id, id',
)}`;

const ORDERS_SQL = `
WITH ledger AS (
  SELECT tenant_id, order_id,
         coalesce(-sum(amount) FILTER (WHERE type = 'deduct'), 0) AS deducted,
         coalesce(sum(amount) FILTER (WHERE type = 'return'), 0) AS returned
    FROM coupon_ledger WHERE order_id IS NOT NULL GROUP BY tenant_id, order_id
), checked AS (
  SELECT o.tenant_id, o.id, o.total, o.coupon_deduction, o.cash, coalesce(l.deducted, 0) AS deducted, coalesce(l.returned, 0) AS returned
    FROM orders o LEFT JOIN ledger l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
), bad AS (
  SELECT * FROM checked
   WHERE total <> coupon_deduction + cash OR coupon_deduction <> deducted OR returned < 0 OR returned > deducted
)
${summary(
  `json_build_object('orderId', id, 'tenantId', tenant_id, 'total', total::text, 'couponDeduction', coupon_deduction::text, 'cash', cash::text,
                     'ledgerDeduction', deducted::text, 'ledgerReturned', returned::text)`,
  'tenant_id, id',
)}`;

const REFUNDS_SQL = `
WITH returned AS (
  SELECT tenant_id, order_id, sum(amount) AS returned FROM coupon_ledger WHERE type = 'return' AND order_id IS NOT NULL GROUP BY tenant_id, order_id
), checked AS (
  SELECT o.tenant_id, o.id, r.id AS refund_id, o.status, r.coupon_return, coalesce(x.returned, 0) AS returned,
         (r.id IS NOT NULL AND (r.cash_paid <> o.cash OR r.coupon_deduction <> o.coupon_deduction)) AS terms_differ
    FROM orders o
    LEFT JOIN refunds r ON r.tenant_id = o.tenant_id AND r.order_id = o.id
    LEFT JOIN returned x ON x.tenant_id = o.tenant_id AND x.order_id = o.id
   WHERE o.status = 'refunded' OR r.id IS NOT NULL OR x.order_id IS NOT NULL
), bad AS (
  SELECT * FROM checked WHERE refund_id IS NULL OR status <> 'refunded' OR coupon_return <> returned OR terms_differ
)
${summary(
  `json_build_object('orderId', id, 'tenantId', tenant_id, 'refundId', refund_id, 'orderStatus', status, 'couponReturn', coupon_return::text,
                     'ledgerReturned', returned::text, 'termsDiffer', terms_differ)`,
  'tenant_id, id',
)}`;

const POOLS_SQL = `
WITH pl AS (
  SELECT tenant_id, pool_id, sum(amount) AS total, coalesce(sum(amount) FILTER (WHERE type = 'grant'), 0) AS granted
    FROM voucher_pool_ledger GROUP BY tenant_id, pool_id
), v AS (
  SELECT c.tenant_id, c.pool_id, c.face_value,
         (SELECT coalesce(-sum(g.amount), 0) FROM voucher_pool_ledger g WHERE g.tenant_id = c.tenant_id AND g.coupon_id = c.id AND g.type = 'generate') AS generated,
         (SELECT coalesce(sum(g.amount), 0) FROM voucher_pool_ledger g WHERE g.tenant_id = c.tenant_id AND g.coupon_id = c.id AND g.type = 'reclaim') AS pool_reclaimed,
         (SELECT coalesce(-sum(l.amount), 0) FROM coupon_ledger l WHERE l.tenant_id = c.tenant_id AND l.coupon_id = c.id AND l.type = 'reclaim') AS voucher_reclaimed
    FROM coupons c WHERE c.pool_id IS NOT NULL
), voff AS (
  SELECT tenant_id, pool_id, count(*) AS n FROM v WHERE generated <> face_value OR pool_reclaimed <> voucher_reclaimed GROUP BY tenant_id, pool_id
), checked AS (
  SELECT p.tenant_id, p.id, p.balance, coalesce(pl.total, 0) AS ledger_sum, p.granted, coalesce(pl.granted, 0) AS ledger_granted, coalesce(voff.n, 0) AS vouchers_off
    FROM voucher_pools p
    LEFT JOIN pl ON pl.tenant_id = p.tenant_id AND pl.pool_id = p.id
    LEFT JOIN voff ON voff.tenant_id = p.tenant_id AND voff.pool_id = p.id
), bad AS (
  SELECT * FROM checked WHERE balance <> ledger_sum OR granted <> ledger_granted OR vouchers_off > 0
)
${summary(
  `json_build_object('poolId', id, 'tenantId', tenant_id, 'balance', balance::text, 'ledgerSum', ledger_sum::text, 'granted', granted::text,
                     'ledgerGranted', ledger_granted::text, 'vouchersOff', vouchers_off)`,
  'tenant_id, id',
)}`;

const DEDUCTIONS_SQL = `
WITH checked AS (
  SELECT l.tenant_id, l.id, l.coupon_id, l.type, l.order_id, l.bill_id,
         CASE
           WHEN l.order_id IS NULL AND l.bill_id IS NULL THEN 'no_order_or_bill'
           WHEN l.order_id IS NOT NULL AND l.bill_id IS NOT NULL THEN 'order_and_bill'
           WHEN l.order_id IS NOT NULL AND o.id IS NULL THEN 'unknown_order'
           WHEN l.order_id IS NOT NULL AND o.coupon_id IS DISTINCT FROM l.coupon_id THEN 'other_coupon'
           WHEN l.bill_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.tenant_id = l.tenant_id AND b.id = l.bill_id) THEN 'unknown_bill'
         END AS problem
    FROM coupon_ledger l LEFT JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
   WHERE l.type IN ('deduct', 'return')
), bad AS (
  SELECT * FROM checked WHERE problem IS NOT NULL
)
${summary(
  `json_build_object('entryId', id::text, 'couponId', coupon_id, 'tenantId', tenant_id, 'type', type, 'orderId', order_id, 'billId', bill_id, 'problem', problem)`,
  'tenant_id, id',
)}`;

const BILLS_SQL = `
WITH ledger AS (
  SELECT tenant_id, bill_id,
         coalesce(-sum(amount) FILTER (WHERE type = 'deduct'), 0) AS deducted,
         coalesce(sum(amount) FILTER (WHERE type = 'return'), 0) AS returned
    FROM coupon_ledger WHERE bill_id IS NOT NULL GROUP BY tenant_id, bill_id
), checked AS (
  SELECT b.tenant_id, b.id, b.amount AS total, b.coupon_deduction, b.cash_due,
         coalesce(l.deducted, 0) AS deducted, coalesce(l.returned, 0) AS returned
    FROM bills b LEFT JOIN ledger l ON l.tenant_id = b.tenant_id AND l.bill_id = b.id
), bad AS (
  SELECT * FROM checked
   WHERE total <> coupon_deduction + cash_due OR coupon_deduction <> deducted OR returned < 0 OR returned > deducted
)
${summary(
  `json_build_object('billId', id, 'tenantId', tenant_id, 'total', total::text, 'couponDeduction', coupon_deduction::text, 'cashDue', cash_due::text,
                     'ledgerDeduction', deducted::text, 'ledgerReturned', returned::text)`,
  'tenant_id, id',
)}`;

// R23, R26: a usage record is billed exactly once. Two bills covering it (cycles of overlapping
// periods) is a double charge; none, when a finished cycle covers its instant, is a lost one.
const USAGE_SQL = `
WITH checked AS (
  SELECT u.tenant_id, u.account_id, u.usage_id, u.occurred_at,
         (SELECT count(*) FROM bills b
           WHERE b.tenant_id = u.tenant_id AND b.account_id = u.account_id AND b.product_code = u.product_code AND b.currency = u.currency
             AND b.period_start <= u.occurred_at AND u.occurred_at < b.period_end) AS bills,
         EXISTS (SELECT 1 FROM billing_cycles c WHERE c.status = 'done' AND c.period_start <= u.occurred_at AND u.occurred_at < c.period_end) AS due
    FROM usage_records u
), bad AS (
  SELECT *, CASE WHEN bills > 1 THEN 'billed_twice' ELSE 'not_billed' END AS problem FROM checked WHERE bills > 1 OR (bills = 0 AND due)
)
${summary(
  `json_build_object('tenantId', tenant_id, 'accountId', account_id, 'usageId', usage_id, 'occurredAt', occurred_at, 'bills', bills, 'problem', problem)`,
  'tenant_id, account_id, usage_id',
)}`;

// R36: a budget's figures are the sum of its ledger (budget-ledger.sql.ts is their one writer).
const BUDGETS_SQL = `
WITH ledger AS (
  SELECT l.tenant_id, l.budget_id, ${FIGURES.map((f) => `${ledgerFigureSql(f)} AS ${f}`).join(', ')}
    FROM budget_ledger l GROUP BY l.tenant_id, l.budget_id
), children AS (
  SELECT tenant_id, parent_budget_id AS id, sum(granted) AS granted FROM budgets WHERE parent_budget_id IS NOT NULL GROUP BY 1, 2
), held AS (
  SELECT l.tenant_id, l.budget_id, ${ledgerFigureSql('reserved')} AS amount
    FROM budget_ledger l JOIN issuance_requests r ON r.tenant_id = l.tenant_id AND r.id = l.request_id
   WHERE r.status IN ('issued', 'issued_with_failures', 'rejected', 'cancelled', 'expired')
   GROUP BY 1, 2
), checked AS (
  SELECT b.tenant_id, b.id, b.granted, b.allocated, b.reserved, b.committed,
         ${FIGURES.map((f) => `coalesce(l.${f}, 0) AS l_${f}`).join(', ')},
         coalesce(c.granted, 0) AS to_resellers, coalesce(h.amount, 0) AS held_by_ended
    FROM budgets b
    LEFT JOIN ledger l ON l.tenant_id = b.tenant_id AND l.budget_id = b.id
    LEFT JOIN children c ON c.tenant_id = b.tenant_id AND c.id = b.id
    LEFT JOIN held h ON h.tenant_id = b.tenant_id AND h.budget_id = b.id
), bad AS (
  SELECT * FROM checked
   WHERE ${FIGURES.map((f) => `${f} <> l_${f}`).join(' OR ')} OR allocated <> to_resellers OR held_by_ended <> 0
)
${summary(
  `json_build_object('budgetId', id, 'tenantId', tenant_id, ${FIGURES.map((f) => `'${f}', ${f}::text`).join(', ')},
                     'ledger', json_build_object(${FIGURES.map((f) => `'${f}', l_${f}::text`).join(', ')}),
                     'allocatedToResellers', to_resellers::text, 'heldByEndedRequests', held_by_ended::text)`,
  'tenant_id, id',
)}`;

const LIABILITY_SQL = `${LIABILITY_CHECK}
${summary(
  `json_build_object('tenantId', tenant_id, 'partnerId', partner_id, 'costBearer', cost_bearer, 'currency', currency, 'outstanding', outstanding::text, 'balance', balance::text)`,
  'tenant_id, partner_id, cost_bearer, currency',
)}`;

const SETTLEMENTS_SQL = `${SETTLEMENT_CHECK}
${summary(
  `json_build_object('problem', problem, 'month', to_char(month, 'YYYY-MM'), 'tenantId', tenant_id, 'partnerId', partner_id, 'currency', currency, 'detail', detail)`,
  'month, tenant_id, partner_id, currency, problem, detail::text',
)}`;

/** Every check, on `em`'s connection and snapshot. Each check is an aggregate: one row. */
export async function reconcileWith(em: EntityManager, limit = DEFAULT_LIMIT): Promise<Report> {
  const { now } = first<{ now: Date }>(await em.query(`SELECT now()`), 'SELECT now()');
  const coupons = first<Row<Section<'coupons'>['mismatches'][number]> & { negative_count: string; negative: string[] }>(await em.query(COUPONS_SQL, [limit]), 'COUPONS_SQL');
  const chain = first<Row<Section<'ledgerChain'>['mismatches'][number]>>(await em.query(CHAIN_SQL, [limit]), 'CHAIN_SQL');
  const orders = first<Row<Section<'orders'>['mismatches'][number]>>(await em.query(ORDERS_SQL, [limit]), 'ORDERS_SQL');
  const deductions = first<Row<Section<'deductions'>['mismatches'][number]>>(await em.query(DEDUCTIONS_SQL, [limit]), 'DEDUCTIONS_SQL');
  const refunds = first<Row<Section<'refunds'>['mismatches'][number]>>(await em.query(REFUNDS_SQL, [limit]), 'REFUNDS_SQL');
  const pools = first<Row<Section<'voucherPools'>['mismatches'][number]>>(await em.query(POOLS_SQL, [limit]), 'POOLS_SQL');
  const billRow = first<Row<Section<'bills'>['mismatches'][number]>>(await em.query(BILLS_SQL, [limit]), 'BILLS_SQL');
  const usageRow = first<Row<Section<'usage'>['mismatches'][number]>>(await em.query(USAGE_SQL, [limit]), 'USAGE_SQL');
  const budgetRow = first<Row<Section<'budgets'>['mismatches'][number]>>(await em.query(BUDGETS_SQL, [limit]), 'BUDGETS_SQL');
  const liability = first<Row<Section<'liability'>['mismatches'][number]>>(await em.query(LIABILITY_SQL, [limit]), 'LIABILITY_SQL');
  const settlements = first<Row<Section<'settlements'>['mismatches'][number]>>(await em.query(SETTLEMENTS_SQL, [limit]), 'SETTLEMENTS_SQL');

  const report: Report = {
    checkedAt: now.toISOString(),
    ok: false,
    coupons: toSection(coupons),
    ledgerChain: toSection(chain),
    negative: { count: Number(coupons.negative_count), couponIds: coupons.negative },
    orders: toSection(orders),
    deductions: toSection(deductions),
    refunds: toSection(refunds),
    voucherPools: toSection(pools),
    bills: toSection(billRow),
    usage: toSection(usageRow),
    budgets: toSection(budgetRow),
    liability: toSection(liability),
    settlements: toSection(settlements),
  };
  const sections = [
    report.coupons, report.ledgerChain, report.orders, report.deductions, report.refunds, report.voucherPools, report.bills, report.usage,
    report.budgets, report.liability, report.settlements,
  ];
  const mismatches = sections.reduce((n, s) => n + s.mismatchCount, 0);
  report.ok = mismatches === 0 && report.negative.count === 0;
  return report;
}

/** The whole report from one consistent snapshot, without taking a single write lock. */
export async function reconcile(ds: DataSource, limit = DEFAULT_LIMIT): Promise<Report> {
  return ds.transaction('REPEATABLE READ', async (em) => {
    await em.query('SET TRANSACTION READ ONLY');
    return reconcileWith(em, limit);
  });
}

/** GET /v1/admin/reconcile: for whoever may read reconciliations (the platform admins). */
export async function reconciliationReport(ctx: Ctx): Promise<Report> {
  // 'Reconciliation' joins the Subject union in auth/abilities.ts; drop the cast once it has.
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'Reconciliation');
  return reconcile(ctx.ds);
}
