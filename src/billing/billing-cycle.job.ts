import { performance } from 'node:perf_hooks';
import type { EntityManager } from 'typeorm';
import type { Logger as JobLog } from '../logger';
import type { ChunkedHandler } from '../jobs/run-job';
import { inTransaction } from '../db/tx';
import { config } from '../config';
import { toBigInt } from '../shared/money';
import { couponFactColumns, couponFacts, type CouponRow } from '../coupons/coupon-facts';
import type { CouponFacts, ProductFacts } from './eligibility';
import { applyCoupons, type BillFacts } from './apply-coupons';

const ACCOUNTS_PER_BATCH = 1000;

/** Step 1, set-based: usage of the period -> one bill per account, product and currency. */
const BILLS_SQL = `
INSERT INTO bills (tenant_id, account_id, partner_id, cycle_id, product_code, currency, period_start, period_end, amount, cash_due, due_at)
SELECT u.tenant_id, u.account_id, a.partner_id, c.id, u.product_code, u.currency, c.period_start, c.period_end, sum(u.amount), sum(u.amount),
       c.period_end + make_interval(days => $2)
  FROM billing_cycles c
  JOIN usage_records u ON u.occurred_at >= c.period_start AND u.occurred_at < c.period_end
  JOIN accounts a ON a.tenant_id = u.tenant_id AND a.id = u.account_id
 WHERE c.id = $1
 GROUP BY u.tenant_id, u.account_id, a.partner_id, c.id, u.product_code, u.currency, c.period_start, c.period_end
ON CONFLICT (tenant_id, cycle_id, account_id, product_code, currency) DO NOTHING`;

interface BillRow {
  tenant_id: string;
  id: string;
  account_id: string;
  product_code: string;
  currency: string;
  amount: string;
  status: BillFacts['status'];
  period_end: Date;
}

/** Step 2 for one batch of accounts, in one transaction: lock, compute (pure), write with arrays. */
async function applyBatch(em: EntityManager, cycleId: string, accounts: { tenant_id: string; account_id: string }[], log?: JobLog): Promise<number> {
  const t0 = performance.now();
  const tenants = accounts.map((a) => a.tenant_id);
  const ids = accounts.map((a) => a.account_id);
  const bills: BillRow[] = await em.query(
    `SELECT b.tenant_id, b.id, b.account_id, b.product_code, b.currency, b.amount::text, b.status, b.period_end
       FROM bills b JOIN unnest($2::uuid[], $3::uuid[]) x(t, a) ON b.tenant_id = x.t AND b.account_id = x.a
      WHERE b.cycle_id = $1 AND b.coupons_applied_at IS NULL
      ORDER BY b.tenant_id, b.id FOR UPDATE OF b`,
    [cycleId, tenants, ids],
  );
  if (bills.length === 0) return 0;
  // Coupon rows are locked in id order, as checkout locks them: no deadlock between the two.
  const coupons: (CouponFacts & { tenantId: string })[] = (
    await em.query(
      `SELECT c.tenant_id, ${couponFactColumns('c')}
         FROM coupons c JOIN unnest($1::uuid[], $2::uuid[]) x(t, a) ON c.tenant_id = x.t AND c.account_id = x.a
        WHERE c.status = 'unused' AND 'payg' = ANY (c.billing_modes)
        ORDER BY c.id FOR UPDATE OF c`,
      [tenants, ids],
    )
  ).map((r: CouponRow & { tenant_id: string }) => ({ ...couponFacts(r), tenantId: r.tenant_id }));
  const t1 = performance.now();
  const products: { code: string; excluded_from_general: boolean; marketplace: boolean }[] = await em.query(
    `SELECT code, excluded_from_general, marketplace FROM products WHERE code = ANY($1::text[])`,
    [[...new Set(bills.map((b) => b.product_code))]],
  );
  const catalog = new Map<string, ProductFacts>(products.map((p) => [p.code, { code: p.code, excludedFromGeneral: p.excluded_from_general, marketplace: p.marketplace }]));

  const group = <T>(rows: T[], key: (r: T) => string) => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const list = m.get(key(r));
      if (list) list.push(r);
      else m.set(key(r), [r]);
    }
    return m;
  };
  const couponsOf = group(coupons, (c) => c.accountId);
  const deductions = [...group(bills, (b) => b.account_id)].flatMap(([accountId, rows]) =>
    applyCoupons(
      rows.map((b) => ({ id: b.id, accountId, productCode: b.product_code, currency: b.currency, amount: toBigInt(b.amount), status: b.status, at: new Date(b.period_end.getTime() - 1) })),
      couponsOf.get(accountId) ?? [],
      catalog,
    ),
  );
  const t2 = performance.now();
  const tenantOf = new Map(bills.map((b) => [b.id, b.tenant_id]));
  const perBill = new Map<string, bigint>();
  for (const d of deductions) perBill.set(d.billId, (perBill.get(d.billId) ?? 0n) + d.amount);
  const lastBalance = new Map<string, bigint>();
  for (const d of deductions) lastBalance.set(d.couponId, d.balanceAfter);
  const oneTime = new Set(coupons.filter((c) => c.usage === 'one_time').map((c) => c.id));
  const couponTenant = new Map(coupons.map((c) => [c.id, c.tenantId]));

  await em.query(
    `WITH c AS (
       UPDATE coupons c SET balance = x.balance,
              status = CASE WHEN x.one_time OR x.balance = 0 THEN 'used' ELSE c.status END
         FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bool[]) x(t, id, balance, one_time)
        WHERE c.tenant_id = x.t AND c.id = x.id AND c.status = 'unused' AND c.balance >= x.balance
       RETURNING c.tenant_id, c.id, c.status
     ), l AS (
       INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after, bill_id)
       SELECT * FROM unnest($5::uuid[], $6::uuid[], $7::uuid[], $8::text[], $9::bigint[], $10::bigint[], $11::uuid[])
     ), d AS (
       INSERT INTO bill_deductions (tenant_id, bill_id, coupon_id, amount)
       SELECT * FROM unnest($5::uuid[], $11::uuid[], $6::uuid[], $12::bigint[])
     ), a AS (
       INSERT INTO audit_events (tenant_id, object_type, object_id, action, from_status, to_status, reason, actor_kind)
       SELECT tenant_id, 'coupon', id, 'used', 'unused', 'used', 'pay-as-you-go billing', 'system' FROM c WHERE status = 'used'
     )
     UPDATE bills b SET coupon_deduction = x.deduction, cash_due = b.amount - x.deduction, coupons_applied_at = now()
       FROM unnest($13::uuid[], $14::uuid[], $15::bigint[]) x(t, id, deduction)
      WHERE b.tenant_id = x.t AND b.id = x.id`,
    [
      [...lastBalance.keys()].map((id) => couponTenant.get(id)), [...lastBalance.keys()], [...lastBalance.values()].map(String),
      [...lastBalance.keys()].map((id) => oneTime.has(id)),
      deductions.map((d) => tenantOf.get(d.billId)), deductions.map((d) => d.couponId), deductions.map((d) => d.accountId),
      deductions.map(() => 'deduct'), deductions.map((d) => (-d.amount).toString()), deductions.map((d) => d.balanceAfter.toString()),
      deductions.map((d) => d.billId), deductions.map((d) => d.amount.toString()),
      bills.map((b) => b.tenant_id), bills.map((b) => b.id), bills.map((b) => (perBill.get(b.id) ?? 0n).toString()),
    ],
  );
  await em.query(`UPDATE billing_cycles SET bills_done = bills_done + $2 WHERE id = $1`, [cycleId, bills.length]);
  const ms = (a: number, b: number) => Math.round(b - a);
  log?.debug({ bills: bills.length, deductions: deductions.length, lockMs: ms(t0, t1), computeMs: ms(t1, t2), writeMs: ms(t2, performance.now()) }, 'billing batch');
  return bills.length;
}

/**
 * R23: a billing cycle. Bills come from usage in one set-based statement; coupons then apply to
 * them in batches of accounts, each batch one transaction. Bills already settled with coupons are
 * skipped, so running a cycle twice changes nothing. Progress: billing_cycles.bills_done/total.
 */
export const runBillingCycle: ChunkedHandler<'billing.cycle'> = async ({ cycleId }, { ds, log, job, complete }) => {
  const started = performance.now();
  await ds.query(BILLS_SQL, [cycleId, config().BILL_DUE_DAYS]);
  log.debug({ ms: Math.round(performance.now() - started) }, 'bills made from usage');
  await ds.query(`UPDATE billing_cycles SET bills_total = (SELECT count(*) FROM bills WHERE cycle_id = $1) WHERE id = $1`, [cycleId]);
  for (;;) {
    const accounts: { tenant_id: string; account_id: string }[] = await ds.query(
      `SELECT DISTINCT tenant_id, account_id FROM bills WHERE cycle_id = $1 AND coupons_applied_at IS NULL
        ORDER BY tenant_id, account_id LIMIT ${ACCOUNTS_PER_BATCH}`,
      [cycleId],
    );
    if (accounts.length === 0) break;
    await inTransaction(ds, (em) => applyBatch(em, cycleId, accounts, log));
    const [p] = await ds.query(`SELECT bills_done, bills_total FROM billing_cycles WHERE id = $1`, [cycleId]);
    await job.updateProgress({ done: p.bills_done, total: p.bills_total });
  }
  await inTransaction(ds, async (em) => {
    await em.query(`UPDATE billing_cycles SET status = 'done', finished_at = coalesce(finished_at, now()) WHERE id = $1`, [cycleId]);
    await complete(em);
  });
  log.info({ cycleId }, 'billing cycle done');
};

/** R20: an unpaid bill past its due date becomes overdue. */
export const markOverdue: ChunkedHandler<'bills.overdue-sweep'> = async (_p, { ds, complete }) => {
  await ds.query(`UPDATE bills SET status = 'overdue' WHERE status = 'unpaid' AND due_at <= now()`);
  await inTransaction(ds, complete);
};
