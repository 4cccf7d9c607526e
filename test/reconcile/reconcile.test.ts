import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from 'typeorm';
import { harness, requireEnv } from '../support/harness';
import { call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { ensureProducts, insertCoupon } from '../support/coupons-world';
import { ownDatabase } from '../support/own-database';
import { ReconcileReport, reconcile, reconcileWith, type Report } from '../../src/reconcile/reconcile';
import { first } from '../../src/db/rows';

/**
 * The report is global and other test files share the database. The checks that the whole report
 * is ok run on a database of their own (a clone of the migrated template), so no other file's
 * fixtures can fail them; the others corrupt only rows
 * of their own fresh world, undo every corruption (absolute values, so undoing twice is harmless)
 * in afterEach even when an assertion fails, and assert on their own ids. Corruptions that the
 * schema forbids (a negative balance, bills the ledger disagrees with) happen inside a transaction that rolls back.
 */
const ROOT = path.resolve(__dirname, '..', '..');

interface Undo {
  sql: string;
  params: unknown[];
}
const undos: Undo[] = [];
async function corrupt(sql: string, params: unknown[], undo: Undo): Promise<void> {
  undos.push(undo);
  await harness.ds.query(sql, params);
}
async function undoAll(): Promise<void> {
  for (const u of undos.splice(0).reverse()) await harness.ds.query(u.sql, u.params);
}

/** Runs `work` in a transaction that is always rolled back. */
async function rolledBack(work: (em: EntityManager) => Promise<void>): Promise<void> {
  const qr = harness.ds.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  try {
    await work(qr.manager);
  } finally {
    await qr.rollbackTransaction();
    await qr.release();
  }
}

/** Every id a report names, in any section. */
function named(r: Report): Set<string> {
  const ids = new Set<string>(r.negative.couponIds);
  for (const m of r.coupons.mismatches) ids.add(m.couponId);
  for (const m of r.ledgerChain.mismatches) ids.add(m.couponId);
  for (const m of r.orders.mismatches) ids.add(m.orderId);
  for (const m of r.deductions.mismatches) [m.couponId, m.orderId, m.billId].forEach((id) => id && ids.add(id));
  for (const m of r.bills.mismatches) ids.add(m.billId);
  return ids;
}
const expectNoneNamed = (r: Report, ids: string[]) => expect(ids.filter((id) => named(r).has(id)), JSON.stringify(r)).to.deep.equal([]);

function runCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/reconcile/cli.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: requireEnv('DATABASE_URL'), REDIS_URL: requireEnv('REDIS_URL'), LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('R25 R26 reconciliation: balances against ledgers, ledger chains, orders and bills against their deductions', () => {
  let w: World;
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });
  afterEach(undoAll);

  const myCoupons = () => [w.A.couponD, w.A.couponR, w.B.couponD, w.B.couponR];
  const pay = async (coupon: string, amount: string) => {
    const res = await call('POST', '/v1/orders', {
      token: w.A.af.token,
      body: { currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount }], coupon },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string; couponId: string | null; couponDeduction: string; cash: string };
  };
  const deductRow = async (orderId: string): Promise<string> =>
    (await harness.ds.query(`SELECT id::text FROM coupon_ledger WHERE order_id = $1 AND type = 'deduct'`, [orderId]))[0].id;

  it('R26: on a fresh world the report is ok: every balance equals its ledger, every chain holds, nothing is negative', async () => {
    const own = await ownDatabase();
    try {
      await ensureProducts(own.ds);
      await buildWorld(own.ds);
      const r = await reconcile(own.ds);
      expect(ReconcileReport.parse(r)).to.deep.equal(r);
      expect(r.ok, JSON.stringify(r)).to.equal(true);
      expect(r.coupons.checked).to.equal(4);
      expect(r.ledgerChain.checked).to.equal(4);
      expect(r.negative).to.deep.equal({ count: 0, couponIds: [] });
      expect(Date.parse(r.checkedAt)).to.be.closeTo(Date.now(), 60_000);
    } finally {
      await own.drop();
    }
  });

  it('R26: a coupon whose balance drifts from its ledger is reported with both amounts, and is gone once repaired', async () => {
    const c = w.A.couponD;
    await corrupt(`UPDATE coupons SET balance = 4999 WHERE id = $1`, [c], { sql: `UPDATE coupons SET balance = 5000 WHERE id = $1`, params: [c] });
    const r = await reconcile(harness.ds);
    expect(r.ok).to.equal(false);
    expect(r.coupons.mismatchCount).to.be.at.least(1);
    expect(r.coupons.mismatches.filter((m) => m.couponId === c)).to.deep.equal([{ couponId: c, tenantId: w.A.partner, balance: '4999', ledgerSum: '5000' }]);
    expectNoneNamed(r, [w.A.couponR, w.B.couponD, w.B.couponR]);
    expect(r.ledgerChain.mismatches.map((m) => m.couponId)).to.not.include(c); // the ledger itself is intact

    await undoAll();
    expectNoneNamed(await reconcile(harness.ds), myCoupons());
  });

  it('R25 R26: a ledger row whose balance_after is not the running sum up to it is reported with its entry id; the rows before it are not', async () => {
    const c = await insertCoupon(w.A.couponD, w.A.account, { balance: 5000 });
    const order = await pay(c, '2000');
    const issue: string = (await harness.ds.query(`SELECT id::text FROM coupon_ledger WHERE coupon_id = $1 AND type = 'issue'`, [c]))[0].id;
    const deduct = await deductRow(order.id);
    await corrupt(`UPDATE coupon_ledger SET balance_after = 2999 WHERE id = $1`, [deduct], {
      sql: `UPDATE coupon_ledger SET balance_after = 3000 WHERE id = $1`,
      params: [deduct],
    });
    const r = await reconcile(harness.ds);
    expect(r.ok).to.equal(false);
    expect(r.ledgerChain.mismatches.filter((m) => m.couponId === c)).to.deep.equal([
      { couponId: c, tenantId: w.A.partner, entryId: deduct, balanceAfter: '2999', runningSum: '3000' },
    ]);
    expect(r.ledgerChain.mismatches.map((m) => m.entryId)).to.not.include(issue);
    expectNoneNamed({ ...r, ledgerChain: { ...r.ledgerChain, mismatches: [] } }, [c, order.id]); // balance = sum and the order still agree

    await undoAll();
    expectNoneNamed(await reconcile(harness.ds), [c, order.id]);
  });

  it('R26: a negative balance is reported (the CHECK forbids one, so it is lifted in a transaction that rolls back)', async () => {
    const nonNegative = `SELECT conname FROM pg_constraint WHERE conrelid = 'coupons'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%balance >= 0%'`;
    const { conname } = first<{ conname: string }>(await harness.ds.query(nonNegative), 'the balance CHECK');
    await rolledBack(async (em) => {
      await em.query(`ALTER TABLE coupons DROP CONSTRAINT "${conname.replace(/"/g, '""')}"`);
      await em.query(`UPDATE coupons SET balance = -1 WHERE id = $1`, [w.A.couponD]);
      const r = await reconcileWith(em);
      expect(r.ok).to.equal(false);
      expect(r.negative.couponIds).to.include(w.A.couponD);
      expect(r.negative.count).to.equal(r.negative.couponIds.length);
      expect(r.coupons.mismatches.find((m) => m.couponId === w.A.couponD)).to.deep.include({ balance: '-1', ledgerSum: '5000' });
    });
    expect(await harness.ds.query(nonNegative)).to.deep.equal([{ conname }]);
  });

  it('R26: an order whose coupon deduction disagrees with the deduct rows carrying its id is reported with both amounts', async () => {
    const c = await insertCoupon(w.A.couponD, w.A.account, { balance: 5000 });
    const order = await pay(c, '2000');
    expect(order).to.deep.include({ couponId: c, couponDeduction: '2000', cash: '0' });
    expectNoneNamed(await reconcile(harness.ds), [c, order.id]);

    // total = deduction + cash still holds (a CHECK keeps it), but the deduction is not the ledger's.
    await corrupt(`UPDATE orders SET coupon_deduction = 1999, cash = 1 WHERE id = $1`, [order.id], {
      sql: `UPDATE orders SET coupon_deduction = 2000, cash = 0 WHERE id = $1`,
      params: [order.id],
    });
    const r = await reconcile(harness.ds);
    expect(r.ok).to.equal(false);
    expect(r.orders.mismatches.filter((m) => m.orderId === order.id)).to.deep.equal([
      { orderId: order.id, tenantId: w.A.partner, total: '2000', couponDeduction: '1999', cash: '1', ledgerDeduction: '2000', ledgerReturned: '0' },
    ]);
    expect(r.coupons.mismatches.map((m) => m.couponId)).to.not.include(c);

    await undoAll();
    expectNoneNamed(await reconcile(harness.ds), [c, order.id]);
  });

  it('R26: every deduction is on exactly one order or bill that exists and names its coupon; each way of breaking that is reported', async () => {
    const c1 = await insertCoupon(w.A.couponD, w.A.account, { balance: 5000 });
    const c2 = await insertCoupon(w.A.couponD, w.A.account, { balance: 5000 });
    const o1 = await pay(c1, '1000');
    const o2 = await pay(c2, '1500');
    const row = await deductRow(o1.id);
    undos.push({ sql: `UPDATE coupon_ledger SET order_id = $2, bill_id = NULL WHERE id = $1`, params: [row, o1.id] });
    const nowhere = randomUUID();
    const cases: [string | null, string | null, string][] = [
      [null, null, 'no_order_or_bill'],
      [o1.id, nowhere, 'order_and_bill'],
      [nowhere, null, 'unknown_order'],
      [o2.id, null, 'other_coupon'], // c1's deduction on the order paid with c2
      [null, nowhere, 'unknown_bill'],
    ];
    for (const [orderId, billId, problem] of cases) {
      await harness.ds.query(`UPDATE coupon_ledger SET order_id = $2, bill_id = $3 WHERE id = $1`, [row, orderId, billId]);
      const r = await reconcile(harness.ds);
      expect(r.ok, problem).to.equal(false);
      expect(r.deductions.mismatches.filter((m) => m.entryId === row), problem).to.deep.equal([
        { entryId: row, couponId: c1, tenantId: w.A.partner, type: 'deduct', orderId, billId, problem },
      ]);
      // o1 lost its deduction row (except when it kept it beside a bill): reported as an order too.
      const o1Ledger = r.orders.mismatches.find((m) => m.orderId === o1.id)?.ledgerDeduction;
      expect(o1Ledger, problem).to.equal(orderId === o1.id ? undefined : '0');
    }
    await undoAll();
    const r = await reconcile(harness.ds);
    expectNoneNamed(r, [c1, c2, o1.id, o2.id]);
    expect(r.deductions.checked).to.be.at.least(2);
  });

  it("R21 R26: after real payments through HTTP ('best' coupon, coupon and cash, cash only) the report holds for those orders and coupons", async () => {
    const before = await reconcile(harness.ds);
    const big = await insertCoupon(w.A.couponD, w.A.account, { balance: 5000 });
    const small = await insertCoupon(w.A.couponD, w.A.account, { balance: 1500 });
    const paid = [await pay('best', '2000'), await pay('best', '4000'), await pay('best', '1000'), await pay('none', '700')];
    expect(paid.map((o) => [o.couponId, o.couponDeduction, o.cash])).to.deep.equal([
      [big, '2000', '0'],
      [big, '3000', '1000'],
      [small, '1000', '0'],
      [null, '0', '700'],
    ]);
    const r = await reconcile(harness.ds);
    expectNoneNamed(r, [...myCoupons(), big, small, ...paid.map((o) => o.id)]);
    expect(r.orders.checked - before.orders.checked).to.equal(4);
    expect(r.deductions.checked - before.deductions.checked).to.equal(3);
    expect(r.coupons.checked - before.coupons.checked).to.equal(2);
    expect(r.ledgerChain.checked - before.ledgerChain.checked).to.equal(5); // two issues, three deductions
  });

  // Needs reconcileRoutes mounted in src/http/app.ts and the 'Reconciliation' rule in auth/abilities.ts.
  it('R3 R26: GET /v1/admin/reconcile answers the report to a platform admin (200); every other role 403, no token 401', async () => {
    const res = await call('GET', '/v1/admin/reconcile', { token: w.admin.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const body = ReconcileReport.parse(res.body);
    expect(body.coupons.checked).to.be.at.least(4);
    expectNoneNamed(body, myCoupons());
    for (const p of [w.bd, w.A.pa, w.A.po, w.A.pv, w.A.ra, w.A.ro, w.A.ao, w.A.af, w.A.am]) {
      const denied = await call('GET', '/v1/admin/reconcile', { token: p.token });
      expect(denied.status, p.role).to.equal(403);
      expect(denied.body.error.code, p.role).to.equal('forbidden');
    }
    expect((await call('GET', '/v1/admin/reconcile')).status).to.equal(401);
    expect((await call('GET', '/v1/admin/reconcile?limit=5', { token: w.admin.token })).status).to.equal(400);
    const doc = (await call('GET', '/openapi.json')).body;
    expect(doc.paths['/v1/admin/reconcile'].get.tags).to.deep.equal(['Operations']);
  });

  it('R26: `npm run reconcile` prints the report as JSON and exits 0; after a corruption it exits 1 naming the coupon; a bad DATABASE_URL exits 2', async () => {
    const own = await ownDatabase();
    try {
      await ensureProducts(own.ds);
      const mine = await buildWorld(own.ds);
      const good = await runCli({ DATABASE_URL: own.url });
      expect(good.code, good.stderr).to.equal(0);
      const report = ReconcileReport.parse(JSON.parse(good.stdout));
      expect(report.ok).to.equal(true);
      expect(report.coupons.checked).to.equal(4);

      await own.ds.query(`UPDATE coupons SET balance = 4000 WHERE id = $1`, [mine.B.couponR]);
      const bad = await runCli({ DATABASE_URL: own.url });
      expect(bad.code, bad.stderr).to.equal(1);
      expect(ReconcileReport.parse(JSON.parse(bad.stdout)).coupons.mismatches).to.deep.equal([
        { couponId: mine.B.couponR, tenantId: mine.B.partner, balance: '4000', ledgerSum: '5000' },
      ]);
    } finally {
      await own.drop();
    }

    const misconfigured = await runCli({ DATABASE_URL: 'not-a-url' });
    expect(misconfigured.code).to.equal(2);
    expect(misconfigured.stderr).to.include('DATABASE_URL');
    expect(misconfigured.stdout).to.equal('');
  });

  it('R23 R26: bills are checked too: total = deduction + cash due, deduction = the deduct ledger rows carrying the bill', async () => {
    const c = w.A.couponD; // balance 5000, issue row 5000
    const [good, short, nowhere] = [randomUUID(), randomUUID(), randomUUID()];
    const t = w.A.partner;
    await rolledBack(async (em) => {
      await em.query(
        `INSERT INTO bills (tenant_id, id, account_id, partner_id, cycle_id, product_code, currency, period_start, period_end, amount, coupon_deduction, cash_due, due_at)
         SELECT b.tenant_id, x.id, b.account_id, b.partner_id, b.cycle_id, x.product, b.currency, b.period_start, b.period_end, x.amount, x.deduction, x.amount - x.deduction, b.due_at
           FROM bills b, (VALUES ($2::uuid, 'mysql', 3000, 1200), ($3::uuid, 'support', 1000, 500)) AS x(id, product, amount, deduction) WHERE b.id = $1`,
        [w.A.billD, good, short],
      );
      // The ledger: 1200 on `good` (agrees), 400 on `short` (its bill says 500), 100 on a bill that does not exist.
      await em.query(
        `INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after, bill_id)
         VALUES ($1, $2, $3, 'deduct', -1200, 3800, $4), ($1, $2, $3, 'deduct', -400, 3400, $5), ($1, $2, $3, 'deduct', -100, 3300, $6)`,
        [t, c, w.A.account, good, short, nowhere],
      );
      await em.query(`UPDATE coupons SET balance = 3300 WHERE id = $1`, [c]);

      const r = await reconcileWith(em);
      expect(ReconcileReport.parse(r)).to.deep.equal(r);
      expect(r.bills.mismatches.filter((m) => m.tenantId === t)).to.deep.equal([
        { billId: short, tenantId: t, total: '1000', couponDeduction: '500', cashDue: '500', ledgerDeduction: '400', ledgerReturned: '0' },
      ]);
      expect(r.deductions.mismatches.filter((m) => m.couponId === c).map((m) => [m.billId, m.problem])).to.deep.equal([[nowhere, 'unknown_bill']]);
      expect(r.coupons.mismatches.map((m) => m.couponId)).to.not.include(c);
      expect(r.ledgerChain.mismatches.map((m) => m.couponId)).to.not.include(c);
    });
    expect((await harness.ds.query(`SELECT balance::text FROM coupons WHERE id = $1`, [c]))[0].balance).to.equal('5000');
  });
});
