import { performance } from 'node:perf_hooks';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { Logger as JobLog } from '../logger';
import type { ChunkedHandler, ChunkedJobCtx } from '../jobs/run-job';
import type { JobPayload } from '../jobs/job-types';
import { UnrecoverableError } from 'bullmq';
import { inTransaction, pgCode, updateReturning } from '../db/tx';
import { first } from '../db/rows';
import { pgArray } from '../db/pg-array';
import { config } from '../config';
import { toBigInt } from '../shared/money';
import { timeOrderedUuid } from '../shared/ids';
import { couponFactColumns, couponFacts, type CouponRow } from '../coupons/coupon-facts';
import type { CouponFacts, ProductFacts } from './eligibility';
import { applyCoupons, type BillFacts } from './apply-coupons';
import { couponAudit, couponChange, debitable, ledgerRows, statusAfterDebit } from '../coupons/ledger.sql';

/**
 * Accounts per transaction (about ten bill lines each), and lanes: connections that each bill
 * their share of the accounts, one batch after another, so that the database works on one
 * batch while this process computes another. Measured with bench/billing.ts.
 */
export const ACCOUNTS_PER_BATCH = 1000;
export const LANES = 2;

/**
 * A lane's lines: the period's usage, one line per account, product and currency, of the lane's
 * share of the accounts this cycle has not billed yet, each account numbered into its batch (as
 * many batches as $4 accounts each need, evenly filled). A
 * temporary table of the lane's connection: no WAL, private, rebuilt by a resumed run (which then
 * skips what was billed). $5 lanes, this one is $6.
 */
const LINES_SQL = `
CREATE TEMP TABLE billing_lines AS
WITH lines AS (
  SELECT tenant_id, account_id, product_code, currency, sum(amount) AS amount
    FROM usage_records
   WHERE occurred_at >= $2 AND occurred_at < $3 AND (uuid_hash(account_id) & 2147483647) % $5 = $6
   GROUP BY tenant_id, account_id, product_code, currency
), todo AS (
  SELECT a.tenant_id, a.id AS account_id, a.partner_id, row_number() OVER (ORDER BY a.tenant_id, a.id) - 1 AS i, count(*) OVER () AS accounts
    FROM (SELECT DISTINCT tenant_id, account_id FROM lines) x
    JOIN accounts a ON a.tenant_id = x.tenant_id AND a.id = x.account_id
   WHERE NOT EXISTS (SELECT 1 FROM bills b WHERE b.tenant_id = x.tenant_id AND b.account_id = x.account_id AND b.period_start = $2 AND b.cycle_id = $1)
)
SELECT (row_number() OVER ())::int AS n, (t.i * ((t.accounts + $4 - 1) / $4) / t.accounts)::int AS batch, l.tenant_id, l.account_id, t.partner_id, l.product_code, l.currency, l.amount
  FROM lines l JOIN todo t ON t.tenant_id = l.tenant_id AND t.account_id = l.account_id`;

/**
 * Everything a batch changes, in one statement: each bill inserted once with its coupon deduction
 * and cash due; the coupons' new balances (conditional: never below what was read under the lock);
 * one `deduct` ledger row per coupon and bill, in the order they were taken (R25, R26: the record
 * of which coupons paid a bill); an audit row per coupon that became used (R11). The lines' own
 * columns come from the lane's table; only what was computed travels.
 */
const WRITE_SQL = `
WITH x AS (
  SELECT l.tenant_id, l.account_id, l.partner_id, l.product_code, l.currency, l.amount, x.n, x.id, x.deduction
    FROM unnest($6::int[], $7::uuid[], $8::bigint[]) AS x(n, id, deduction)
    JOIN billing_lines l ON l.batch = $5 AND l.n = x.n
), b AS (
  INSERT INTO bills (tenant_id, id, account_id, partner_id, cycle_id, product_code, currency, period_start, period_end,
                     amount, coupon_deduction, cash_due, coupons_applied_at, due_at)
  SELECT tenant_id, id, account_id, partner_id, $1, product_code, currency, $2, $3, amount, deduction, amount - deduction, now(),
         $3::timestamptz + make_interval(days => $4::int)
    FROM x
), c AS (
  ${couponChange({
    balance: 'x.balance',
    status: statusAfterDebit('x.balance', 'x.one_time'),
    from: 'unnest($9::uuid[], $10::uuid[], $11::bigint[], $12::bool[]) AS x(t, id, balance, one_time)',
    where: `c.tenant_id = x.t AND c.id = x.id AND ${debitable('x.balance')}`,
    returning: 'c.tenant_id, c.id, c.status',
  })}
), l AS (
  ${ledgerRows({
    type: 'deduct',
    from: 'unnest($13::uuid[], $14::uuid[], $15::uuid[], $16::bigint[], $17::bigint[], $18::uuid[]) WITH ORDINALITY AS d(t, coupon, a, amount, after, bill, i)',
    tenant: 't', coupon: 'coupon', account: 'a', amount: 'amount', after: 'after', bill: 'bill', orderBy: 'ORDER BY i',
  })}
), a AS (
  ${couponAudit({ from: 'c', tenant: 'tenant_id', coupon: 'id', action: 'used', fromStatus: "'unused'", toStatus: "'used'", reason: "'pay-as-you-go billing'", where: "status = 'used'" })}
)
SELECT count(*)::int AS coupons FROM c`;

interface Cycle {
  id: string;
  period_start: Date;
  period_end: Date;
}

export interface LineRow {
  n: number;
  account_id: string;
  product_code: string;
  currency: string;
  amount: string;
}

interface Progress {
  done: number;
  total: number;
}

type Catalog = ReadonlyMap<string, ProductFacts>;

/** What one batch writes: the array parameters of WRITE_SQL ($6 on). */
export interface BatchPlan {
  bills: number;
  coupons: number;
  deductions: number;
  params: string[];
}

/**
 * R20, R23, pure: one batch's bills with their coupons applied, as WRITE_SQL's arrays. `lines`
 * come grouped by account; `couponRows` are the accounts' usable coupons, locked. Bills are judged
 * at the end of their period (`at`); they are new, so never overdue yet (the sweep marks only
 * bills that exist, and each is made here together with its coupons).
 */
export function planBatch(lines: readonly LineRow[], couponRows: readonly (CouponRow & { tenant_id: string })[], catalog: Catalog, at: Date): BatchPlan {
  const couponsOf = new Map<string, CouponFacts[]>();
  const couponInfo = new Map<string, { tenantId: string; oneTime: boolean; balance: bigint | null }>();
  for (const r of couponRows) {
    const c = couponFacts(r); // accountId: the account this row is for (a shared voucher has a row per holder)
    const list = couponsOf.get(c.accountId);
    if (list) list.push(c);
    else couponsOf.set(c.accountId, [c]);
    couponInfo.set(c.id, { tenantId: r.tenant_id, oneTime: c.usage === 'one_time', balance: null });
  }
  const bills: BillFacts[] = lines.map((l) => ({
    id: timeOrderedUuid(), accountId: l.account_id, productCode: l.product_code, currency: l.currency, amount: toBigInt(l.amount), status: 'unpaid', at,
  }));
  const deducted = bills.map(() => 0n);
  const ledger = { tenant: [] as string[], coupon: [] as string[], account: [] as string[], amount: [] as bigint[], after: [] as bigint[], bill: [] as string[] };
  for (let i = 0; i < bills.length; ) {
    const accountId = bills[i]!.accountId; // i < bills.length
    let j = i + 1;
    while (j < bills.length && bills[j]!.accountId === accountId) j++;
    // A shared voucher (R32) may be held by several accounts of the batch: each sees what the
    // ones before it left, and a one-time coupon already spent is gone.
    const own = couponsOf.get(accountId) ?? [];
    const coupons = own.every((c) => couponInfo.get(c.id)!.balance === null)
      ? own
      : own
          .filter((c) => { const info = couponInfo.get(c.id)!; return !(info.oneTime && info.balance !== null) && (info.balance ?? c.balance) > 0n; })
          .map((c) => ({ ...c, balance: couponInfo.get(c.id)!.balance ?? c.balance }));
    for (const d of coupons.length ? applyCoupons(bills.slice(i, j), coupons, catalog) : []) {
      // d is of one of bills[i..j): k stays in range.
      let k = i;
      while (bills[k]!.id !== d.billId) k++;
      deducted[k]! += d.amount;
      const coupon = couponInfo.get(d.couponId)!;
      coupon.balance = d.balanceAfter;
      ledger.tenant.push(coupon.tenantId);
      ledger.coupon.push(d.couponId);
      ledger.account.push(d.accountId);
      ledger.amount.push(-d.amount);
      ledger.after.push(d.balanceAfter);
      ledger.bill.push(d.billId);
    }
    i = j;
  }
  const paid = [...couponInfo].filter(([, c]) => c.balance !== null);
  return {
    bills: bills.length,
    coupons: paid.length,
    deductions: ledger.bill.length,
    params: [
      pgArray.int(lines.map((l) => l.n)), pgArray.uuid(bills.map((b) => b.id)), pgArray.bigint(deducted),
      pgArray.uuid(paid.map(([, c]) => c.tenantId)), pgArray.uuid(paid.map(([id]) => id)), pgArray.bigint(paid.map(([, c]) => c.balance!)),
      pgArray.bool(paid.map(([, c]) => c.oneTime)),
      pgArray.uuid(ledger.tenant), pgArray.uuid(ledger.coupon), pgArray.uuid(ledger.account), pgArray.bigint(ledger.amount),
      pgArray.bigint(ledger.after), pgArray.uuid(ledger.bill),
    ],
  };
}

/**
 * R23 for one batch of a lane, in its own transaction on the lane's connection: read the lines,
 * lock the accounts' coupons, plan (pure), write. Returns the cycle's progress after it.
 */
async function billBatch(em: EntityManager, cycle: Cycle, batch: number, catalog: Catalog, log: JobLog): Promise<Progress> {
  const t0 = performance.now();
  const lines: LineRow[] = await em.query(
    `SELECT n, account_id, product_code, currency, amount::text FROM billing_lines WHERE batch = $1 ORDER BY tenant_id, account_id`,
    [batch],
  );
  // Coupon rows are locked in id order, as checkout locks them: no deadlock between the two.
  const coupons: (CouponRow & { tenant_id: string })[] = await em.query(
    // The accounts' own coupons and the vouchers shared with them (R32), one row per holder.
    `SELECT c.tenant_id, ${couponFactColumns('c', 'h.account_id')}
       FROM (SELECT tenant_id, account_id, id FROM coupons
              WHERE (tenant_id, account_id) IN (SELECT tenant_id, account_id FROM billing_lines WHERE batch = $1)
             UNION ALL
             SELECT tenant_id, account_id, coupon_id FROM coupon_holders
              WHERE (tenant_id, account_id) IN (SELECT tenant_id, account_id FROM billing_lines WHERE batch = $1)) h
       JOIN coupons c ON c.tenant_id = h.tenant_id AND c.id = h.id
      WHERE c.status = 'unused' AND 'payg' = ANY (c.billing_modes)
      ORDER BY c.id FOR UPDATE OF c`,
    [batch],
  );
  const t1 = performance.now();
  const plan = planBatch(lines, coupons, catalog, new Date(cycle.period_end.getTime() - 1));
  const t2 = performance.now();
  const res = first<{ coupons: number }>(
    await em.query(WRITE_SQL, [cycle.id, cycle.period_start, cycle.period_end, config().BILL_DUE_DAYS, batch, ...plan.params]),
    'billing batch write',
  );
  // Locked rows cannot have changed; if one did, nothing of this batch may stand.
  if (res.coupons !== plan.coupons) throw new Error(`billing: ${plan.coupons - res.coupons} coupons changed under their lock`);
  // Last, so that the lanes wait on the cycle's row only for the moment of their commit.
  const progress = first(
    await updateReturning<Progress>(
      em,
      `UPDATE billing_cycles SET bills_done = bills_done + $2 WHERE id = $1 RETURNING bills_done AS done, bills_total AS total`,
      [cycle.id, plan.bills],
    ),
    'billing cycle progress',
  );
  const ms = (a: number, b: number) => Math.round(b - a);
  log.debug({ batch, bills: plan.bills, deductions: plan.deductions, lockMs: ms(t0, t1), computeMs: ms(t1, t2), writeMs: ms(t2, performance.now()) }, 'billing batch');
  return progress;
}

/** A lane's connection, with its lines' table built: how many lines and batches it holds. */
async function openLane(qr: QueryRunner, cycle: Cycle, lane: number, opts: { accountsPerBatch: number; lanes: number }) {
  await qr.connect();
  // The batches' statements are cheap to run but their plans are guessed (arrays and a temporary
  // table have no statistics): JIT-compiling them cost more than running them.
  await qr.query(`SET jit = off`);
  return qr.manager.transaction(async (em) => {
    // The period's usage is grouped in memory, not on disk, and by this lane alone: the lanes
    // already keep the cores busy.
    await em.query(`SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0`);
    await em.query(LINES_SQL, [cycle.id, cycle.period_start, cycle.period_end, opts.accountsPerBatch, opts.lanes, lane]);
    await em.query(`CREATE INDEX ON pg_temp.billing_lines (batch)`);
    return first<{ lines: number; batches: number }>(
      await em.query(`SELECT count(*)::int AS lines, coalesce(max(batch) + 1, 0)::int AS batches FROM billing_lines`),
      'billing lane size',
    );
  });
}

/** The values of promises that all settled, or the first failure (none is left running unobserved). */
function settled<T>(outcomes: PromiseSettledResult<T>[]): T[] {
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
}

/**
 * R23: a billing cycle. The accounts to bill are shared among lanes; each lane bills its share in
 * batches, each batch one transaction that bills its accounts' usage of the period with the
 * coupons applied (R20, R23) and records which coupons paid each bill (ledger). Accounts the cycle
 * has billed are skipped, so running a cycle twice changes nothing and a run cut short resumes
 * where it stopped. One delivery at a time works on a cycle: a session lock of the first lane's
 * connection, gone with it if the worker dies. Progress: billing_cycles.bills_done/bills_total
 * (bill lines) and the job's progress.
 */
export function billingCycle(opts: { accountsPerBatch: number; lanes: number }): ChunkedHandler<'billing.cycle'> {
  const run = runCycle(opts);
  return async (payload, ctx) => {
    try {
      await run(payload, ctx);
    } catch (err) {
      await stopIfHopeless(ctx, payload.cycleId, err);
      throw err;
    }
  };
}

/**
 * A cycle that can never succeed must not retry for ever and stay `running`: a data error
 * (PostgreSQL class 22, such as a sum past bigint) or a rule the data breaks (class 23) will fail
 * the same way every time, and so has nothing to wait for; any error on the job's last attempt
 * ends it too. The cycle becomes `failed` with the reason (what its batches billed before stays
 * billed: each is whole), the platform admin sees it (GET /v1/billing-cycles?status=failed), and
 * BullMQ does not try again.
 */
async function stopIfHopeless({ ds, log, job }: ChunkedJobCtx, cycleId: string, err: unknown): Promise<void> {
  const code = pgCode(err);
  const deterministic = code !== undefined && (code.startsWith('22') || code.startsWith('23'));
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!deterministic && !lastAttempt) return;
  const reason = `${code ? `${code}: ` : ''}${(err as Error)?.message ?? String(err)}`.slice(0, 1000);
  await ds.query(`UPDATE billing_cycles SET status = 'failed', failure = $2, finished_at = now() WHERE id = $1 AND status = 'running'`, [cycleId, reason]);
  log.error({ err, cycleId }, 'billing cycle failed for good');
  if (deterministic) throw new UnrecoverableError(`billing cycle ${cycleId} cannot succeed: ${reason}`);
}

function runCycle(opts: { accountsPerBatch: number; lanes: number }): ChunkedHandler<'billing.cycle'> {
  return async ({ cycleId }: JobPayload<'billing.cycle'>, { ds, log, job, complete }: ChunkedJobCtx) => {
    const started = performance.now();
    const [cycle]: (Cycle & { status: string })[] = await ds.query(`SELECT id, period_start, period_end, status FROM billing_cycles WHERE id = $1`, [cycleId]);
    if (!cycle) throw new Error(`billing cycle ${cycleId} not found`);
    if (cycle.status === 'failed') return; // stopped for good; a person decides what comes next
    const runners = Array.from({ length: opts.lanes }, () => ds.createQueryRunner());
    const lead = first(runners, 'billing lanes'); // the first lane's connection: the lock, the cycle's own statements
    const opened = new Set<QueryRunner>();
    try {
      opened.add(lead);
      await lead.connect();
      await lead.query(`SELECT pg_advisory_lock(hashtextextended('billing.cycle:' || $1, 0))`, [cycle.id]);
      const lanes = settled(
        await Promise.allSettled(
          runners.map((qr, i) => {
            opened.add(qr);
            return openLane(qr, cycle, i, opts);
          }),
        ),
      );
      // bills_done already counts the bills of earlier, interrupted runs: each batch adds its own
      // in its transaction. The run's own connections serve the rest: it never waits for a third.
      const start = first(
        await updateReturning<Progress>(
          lead,
          `UPDATE billing_cycles SET bills_total = bills_done + $2 WHERE id = $1 RETURNING bills_done AS done, bills_total AS total`,
          [cycle.id, lanes.reduce((n, l) => n + l.lines, 0)],
        ),
        'billing cycle progress',
      );
      await job.updateProgress(start);
      const products: { code: string; excluded_from_general: boolean; marketplace: boolean }[] = await lead.query(
        `SELECT code, excluded_from_general, marketplace FROM products`,
      );
      const catalog = new Map(products.map((p) => [p.code, { code: p.code, excludedFromGeneral: p.excluded_from_general, marketplace: p.marketplace }]));
      log.debug({ lines: start.total - start.done, lanes: lanes.map((l) => l.batches), ms: Math.round(performance.now() - started) }, 'billing lines from usage');

      // The first failure stops every lane after its current batch.
      let failed = false;
      let done = start.done;
      settled(
        await Promise.allSettled(
          lanes.map(async (lane, i) => {
            const runner = runners[i]!; // lanes come from runners.map: one lane per runner, same index
            try {
              for (let batch = 0; batch < lane.batches && !failed; batch++) {
                const p = await inTransaction(runner.manager, (em) => billBatch(em, cycle, batch, catalog, log));
                done = Math.max(done, p.done);
                await job.updateProgress({ done, total: p.total });
              }
            } catch (err) {
              failed = true;
              throw err;
            }
          }),
        ),
      );
      await inTransaction(lead.manager, async (em) => {
        await em.query(`UPDATE billing_cycles SET status = 'done', finished_at = coalesce(finished_at, now()) WHERE id = $1 AND status = 'running'`, [cycle.id]);
        await complete(em);
      });
    } finally {
      // The pool keeps the connections: leave them as they came.
      for (const qr of runners) {
        if (opened.has(qr)) await qr.query(`SELECT pg_advisory_unlock_all(); DISCARD TEMP; RESET jit`).catch(() => undefined);
        await qr.release();
      }
    }
    log.info({ cycleId, ms: Math.round(performance.now() - started) }, 'billing cycle done');
  };
}

export const runBillingCycle = billingCycle({ accountsPerBatch: ACCOUNTS_PER_BATCH, lanes: LANES });

/** R20: an unpaid bill past its due date becomes overdue. */
export const markOverdue: ChunkedHandler<'bills.overdue-sweep'> = async (_p, { ds, complete }) => {
  await ds.query(`UPDATE bills SET status = 'overdue' WHERE status = 'unpaid' AND due_at <= now()`);
  await inTransaction(ds, complete);
};
