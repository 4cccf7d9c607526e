import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { fingerprint } from '../support/db-fingerprint';
import { buildWorld, type Person, type World } from '../support/world';
import { ensureProducts, insertCoupon, ledgerMismatches, type CouponSpec } from '../support/coupons-world';
import { reconcileWith, type Report } from '../../src/reconcile/reconcile';
import { couponChange, ledgerRows } from '../../src/coupons/ledger.sql';
import { nth } from '../../src/db/rows';

const DAY = 86_400_000;

interface Paid {
  id: string;
  couponDeduction: string;
  cash: string;
}

describe('R27 R28 R29 R30 refunds: quote, refund, coupon return, policy, statements', () => {
  let w: World;
  before(async () => {
    await ensureProducts();
    await harness.ds.query(`INSERT INTO products (code, name, category, refundable) VALUES ('nr-backup', 'Backup (non-refundable)', 'storage', false) ON CONFLICT (code) DO NOTHING`);
  });
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });
  // The policy is one vendor-wide row, which other files may leave changed (the fuzz sets it through
  // the API): each test starts from `none`, and leaves it so.
  const resetPolicy = () => harness.ds.query(`UPDATE refund_policy SET policy = 'none'`);
  beforeEach(resetPolicy);
  afterEach(resetPolicy);

  const coupon = (spec: CouponSpec = {}) => insertCoupon(w.A.couponD, w.A.account, spec);
  const pay = async (o: { amount?: string; months?: number | null; coupon?: string; product?: string } = {}): Promise<Paid> => {
    const item = { productCode: o.product ?? 'cvm', amount: o.amount ?? '120000', ...(o.months === null ? {} : { durationMonths: o.months ?? 12 }) };
    const res = await call('POST', '/v1/orders', {
      token: w.A.af.token,
      body: { currency: 'USD', scenario: 'purchase', items: [item], coupon: o.coupon ?? 'none' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  };
  const quote = (id: string, by: Person = w.A.af) => call('GET', `/v1/orders/${id}/refund-quote`, { token: by.token });
  const refund = (id: string, by: Person = w.A.af, body?: unknown) => call('POST', `/v1/orders/${id}/refund`, { token: by.token, body });
  const backdate = (id: string, ms: number) => harness.ds.query(`UPDATE orders SET created_at = created_at - $2 * interval '1 millisecond' WHERE id = $1`, [id, ms]);
  const couponRow = async (id: string) =>
    (await harness.ds.query(`SELECT balance::text, status FROM coupons WHERE id = $1`, [id]))[0] as { balance: string; status: string };
  const ledger = (id: string) =>
    harness.ds.query(`SELECT type, amount::text, balance_after::text, order_id FROM coupon_ledger WHERE coupon_id = $1 ORDER BY id`, [id]) as Promise<
      { type: string; amount: string; balance_after: string; order_id: string | null }[]
    >;
  const setPolicy = async (policy: string) => {
    const res = await call('PUT', '/v1/admin/refund-policy', { token: w.admin.token, body: { policy } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  };

  it('R27: within five days the quote shows a full refund with its terms; the refund returns all cash and the deduction to the coupon, with a return ledger row', async () => {
    const c = await coupon({ balance: 20000 });
    const o = await pay({ coupon: c });
    expect(o).to.deep.include({ couponDeduction: '20000', cash: '100000' });
    const q = await quote(o.id);
    expect(q.status, JSON.stringify(q.body)).to.equal(200);
    expect(q.body).to.deep.include({ refundable: true, rule: 'five_day_full', refusal: null, policy: 'none' });
    expect(q.body.fiveDay).to.deep.include({ refundsThisYear: 0, limitPerYear: 10 });
    expect(q.body.terms).to.deep.include({ cashPaid: '100000', couponId: c, couponDeduction: '20000', amountDue: '0', refund: '100000', couponReturn: '20000' });
    expect(q.body.terms.handlingFee).to.deep.equal({ rate: '0%', rateBasisPoints: 0, band: null, amount: '0' });
    expect(q.body.explanation[0]).to.match(/within the 120-hour window \(R27\); 0 of 10 five-day refunds used in \d{4} \(R30\)/);

    const r = await refund(o.id, w.A.af, { reason: 'changed my mind' });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body).to.deep.include({ orderId: o.id, accountId: w.A.account, rule: 'five_day_full', policy: 'none', reason: 'changed my mind', createdBy: w.A.af.id });
    expect(r.body.terms).to.deep.include({ refund: '100000', couponReturn: '20000' });
    expect(await couponRow(c)).to.deep.equal({ balance: '20000', status: 'unused' });
    expect((await ledger(c)).slice(-1)[0]).to.deep.equal({ type: 'return', amount: '20000', balance_after: '20000', order_id: o.id });
    expect(await ledgerMismatches([c])).to.deep.equal([]);
    expect((await call('GET', `/v1/orders/${o.id}`, { token: w.A.af.token })).body.status).to.equal('refunded');
    const again = await call('GET', `/v1/orders/${o.id}/refund`, { token: w.A.ao.token });
    expect(again.body).to.deep.equal(r.body);
  });

  it('R27: an order refunded once answers 409 already_refunded; its quote says so; nothing more is returned', async () => {
    const c = await coupon({ balance: 20000 });
    const o = await pay({ coupon: c });
    expect((await refund(o.id)).status).to.equal(201);
    const before = await fingerprint(harness.ds);
    const second = await refund(o.id, w.A.ao);
    expect(second.status).to.equal(409);
    expect(second.body.error).to.deep.include({ code: 'not_refundable' });
    expect(second.body.error.details.code).to.equal('already_refunded');
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    expect((await quote(o.id)).body).to.deep.include({ refundable: false, rule: null, refusal: 'already_refunded', terms: null });
    expect((await couponRow(c)).balance).to.equal('20000');
  });

  it('R28: after five days a 3-year order is refunded partially: cash paid - handling fee (15% of the cash, not the total) - amount due, each term shown', async () => {
    const c = await coupon({ balance: 20000 });
    const o = await pay({ coupon: c, months: 36 });
    await backdate(o.id, 200 * DAY);
    const q = await quote(o.id);
    expect(q.body).to.deep.include({ refundable: true, rule: 'partial' });
    expect(q.body.terms.handlingFee).to.deep.equal({ rate: '15%', rateBasisPoints: 1500, band: 'used up to 12 months', amount: '15000' });
    expect(q.body.terms.subscription).to.deep.include({ months: 36, termClass: 'three_year' });
    expect(q.body.explanation.join(' ')).to.include('after the 120-hour window').and.include('refund policy none');
    const r = await refund(o.id);
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const t = r.body.terms;
    const [used, sub] = [BigInt(t.usedPeriod.milliseconds), BigInt(t.subscription.milliseconds)];
    expect(used >= 200n * BigInt(DAY)).to.equal(true);
    expect(BigInt(t.amountDue)).to.equal((2n * 100000n * used + sub) / (2n * sub));
    expect(BigInt(t.refund)).to.equal(100000n - 15000n - BigInt(t.amountDue));
    expect(t.couponReturn).to.equal('0');
    expect(await couponRow(c)).to.deep.equal({ balance: '0', status: 'used' });
  });

  it('R28: under the `proportional` policy the unused share of the deduction returns to the coupon, in the same transaction, with a return row', async () => {
    const c = await coupon({ balance: 20000 });
    const o = await pay({ coupon: c, months: 12 });
    await backdate(o.id, 73 * DAY);
    await setPolicy('proportional');
    const r = await refund(o.id);
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body).to.deep.include({ rule: 'partial', policy: 'proportional' });
    const t = r.body.terms;
    const [used, sub] = [BigInt(t.usedPeriod.milliseconds), BigInt(t.subscription.milliseconds)];
    const back = 20000n - (2n * 20000n * used + sub) / (2n * sub);
    expect(t.couponReturn).to.equal(back.toString());
    expect(back > 15000n && back < 16500n).to.equal(true); // about 73 of 365 days used
    expect(await couponRow(c)).to.deep.equal({ balance: back.toString(), status: 'unused' });
    expect((await ledger(c)).slice(-1)[0]).to.deep.equal({ type: 'return', amount: back.toString(), balance_after: back.toString(), order_id: o.id });
    expect(await ledgerMismatches([c])).to.deep.equal([]);
  });

  it('R27: a returned coupon that has expired stays expired: the return is written off at once and it applies to nothing', async () => {
    const c = await coupon({ balance: 20000 });
    const o = await pay({ coupon: c });
    // The window closes and the sweep writes the coupon off (status expired, balance 0, an expire row).
    await harness.ds.query(`UPDATE coupons SET valid_until = now() - interval '1 second' WHERE id = $1`, [c]);
    const r = await refund(o.id);
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body.terms.couponReturn).to.equal('20000');
    expect(await couponRow(c)).to.deep.equal({ balance: '0', status: 'expired' });
    expect((await ledger(c)).slice(-2)).to.deep.equal([
      { type: 'return', amount: '20000', balance_after: '20000', order_id: o.id },
      { type: 'expire', amount: '-20000', balance_after: '0', order_id: o.id },
    ]);
    expect(await ledgerMismatches([c])).to.deep.equal([]);
    const [audit] = await harness.ds.query(`SELECT from_status, to_status FROM audit_events WHERE object_id = $1 ORDER BY id DESC LIMIT 1`, [c]);
    expect(audit).to.deep.equal({ from_status: 'used', to_status: 'expired' });
    const spend = await call('POST', '/v1/orders', {
      token: w.A.af.token, headers: { 'idempotency-key': randomUUID() },
      body: { currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '100' }], coupon: c },
    });
    expect(spend.status).to.equal(409);
  });

  it('R27: a coupon already swept to expired stays expired with a zero balance', async () => {
    const c = await coupon({ balance: 30000 });
    const o = await pay({ coupon: c, amount: '20000' });
    // As the expiry sweep would: the window closes and the 10000 left is written off.
    await harness.ds.query(`UPDATE coupons SET valid_until = now() - interval '1 second' WHERE id = $1`, [c]);
    await harness.ds.query(
      `WITH c AS (${couponChange({ balance: '0', status: "'expired'", where: 'c.id = $1', returning: 'c.tenant_id, c.id, c.account_id' })})
       ${ledgerRows({ type: 'expire', from: 'c', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: '-10000', after: '0' })}`,
      [c],
    );
    expect((await refund(o.id)).status).to.equal(201);
    expect(await couponRow(c)).to.deep.equal({ balance: '0', status: 'expired' });
    expect(await ledgerMismatches([c])).to.deep.equal([]);
  });

  it('R27: a one-time coupon still inside its window is unused again after a five-day refund, and pays again', async () => {
    const c = await coupon({ balance: 5000, usage: 'one_time' });
    const o = await pay({ coupon: c, amount: '2000' });
    expect(await couponRow(c)).to.deep.equal({ balance: '3000', status: 'used' });
    expect((await refund(o.id)).status).to.equal(201);
    expect(await couponRow(c)).to.deep.equal({ balance: '5000', status: 'unused' });
    const [audit] = await harness.ds.query(`SELECT from_status, to_status, reason FROM audit_events WHERE object_id = $1 ORDER BY id DESC LIMIT 1`, [c]);
    expect(audit).to.deep.equal({ from_status: 'used', to_status: 'unused', reason: `refund of order ${o.id}` });
    expect((await pay({ coupon: c, amount: '1000' })).couponDeduction).to.equal('1000');
  });

  it('R30: the 11th five-day refund in a calendar year becomes a partial refund; last year\'s do not count', async () => {
    const orders: Paid[] = [];
    for (let i = 0; i < 11; i++) orders.push(await pay({ amount: '10000' }));
    for (const o of orders.slice(0, 10)) expect((await refund(o.id)).body.rule).to.equal('five_day_full');
    const q = await quote(nth(orders, 10).id);
    expect(q.body).to.deep.include({ rule: 'partial' });
    expect(q.body.fiveDay.refundsThisYear).to.equal(10);
    expect(q.body.explanation[0]).to.include('but 10 of 10 five-day refunds used');
    const eleventh = await refund(nth(orders, 10).id);
    expect(eleventh.body.rule).to.equal('partial');
    expect(eleventh.body.terms.handlingFee.amount).to.equal('1000');
    await harness.ds.query(`UPDATE refunds SET created_at = created_at - interval '1 year' WHERE account_id = $1`, [w.A.account]);
    const next = await pay({ amount: '10000' });
    expect((await refund(next.id)).body.rule).to.equal('five_day_full');
  });

  it('R30: concurrent five-day refunds of one account with 9 used this year: exactly one more is full, the others partial', async () => {
    const orders: Paid[] = [];
    for (let i = 0; i < 12; i++) orders.push(await pay({ amount: '10000' }));
    for (const o of orders.slice(0, 9)) expect((await refund(o.id)).status).to.equal(201);
    // Hold the account row so the three refunds are all in flight together, then let them go at once.
    const qr = harness.ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    await qr.query(`SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE`, [w.A.account]);
    let done = 0;
    const pending = orders.slice(9).map((o, i) => refund(o.id, i % 2 ? w.A.ao : w.A.af).finally(() => done++));
    for (;;) {
      const [{ n }] = await harness.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (n >= 3 || done === 3) break;
    }
    await qr.commitTransaction();
    await qr.release();
    const results = await Promise.all(pending);
    expect(results.map((r) => r.status)).to.deep.equal([201, 201, 201]);
    expect(results.filter((r) => r.body.rule === 'five_day_full')).to.have.length(1);
    const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM refunds WHERE account_id = $1 AND rule = 'five_day_full'`, [w.A.account]);
    expect(n.n).to.equal(10);
  });

  it('R26 R27: ten concurrent refunds of one order make one refund and one coupon return', async () => {
    const c = await coupon({ balance: 20000 });
    const o = await pay({ coupon: c });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => refund(o.id, i % 2 ? w.A.ao : w.A.af)));
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.details.code)).to.deep.equal(Array(9).fill('already_refunded'));
    expect(await couponRow(c)).to.deep.equal({ balance: '20000', status: 'unused' });
    const returns = (await ledger(c)).filter((l) => l.type === 'return');
    expect(returns).to.have.length(1);
  });

  it('R26 R27: a refund while the same coupon is being spent by other orders keeps balance = ledger and never overspends', async () => {
    const c = await coupon({ balance: 10000 });
    const o = await pay({ coupon: c, amount: '4000' });
    const spends = Array.from({ length: 6 }, () =>
      call('POST', '/v1/orders', {
        token: w.A.af.token, headers: { 'idempotency-key': randomUUID() },
        body: { currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '2000' }], coupon: c },
      }),
    );
    const [r, ...paid] = await Promise.all([refund(o.id), ...spends]);
    expect(r.status).to.equal(201);
    const k = paid.filter((p) => p.status === 201).length;
    expect(k >= 3 && k <= 5, `payments that went through: ${k}`).to.equal(true);
    expect((await couponRow(c)).balance).to.equal((10000 - 2000 * k).toString());
    expect(await ledgerMismatches([c])).to.deep.equal([]);
  });

  it('R29: a non-refundable product and a resource in its grace or retention period are refused with their codes and write nothing', async () => {
    const nr = await pay({ product: 'nr-backup' });
    expect((await quote(nr.id)).body).to.deep.include({ refundable: false, refusal: 'product_not_refundable', terms: null });
    let before = await fingerprint(harness.ds);
    const refused = await refund(nr.id);
    expect(refused.status).to.equal(409);
    expect(refused.body.error.details.code).to.equal('product_not_refundable');
    expect(await fingerprint(harness.ds)).to.deep.equal(before);

    const o = await pay();
    const setState = (state: string, by: Person = w.admin) => call('PUT', `/v1/orders/${o.id}/resource-state`, { token: by.token, body: { state } });
    expect((await setState('grace_period', w.A.af)).status).to.equal(403);
    expect((await setState('grace_period', w.A.am)).status).to.equal(404);
    for (const [state, code] of [['grace_period', 'resource_in_grace_period'], ['retention_period', 'resource_in_retention_period']] as const) {
      const set = await setState(state);
      expect(set.status, JSON.stringify(set.body)).to.equal(200);
      expect(set.body.resourceState).to.equal(state);
      expect((await quote(o.id)).body.refusal).to.equal(code);
      before = await fingerprint(harness.ds);
      expect((await refund(o.id)).body.error.details.code).to.equal(code);
      expect(await fingerprint(harness.ds)).to.deep.equal(before);
    }
    expect((await setState('active')).status).to.equal(200);
    expect((await refund(o.id)).status).to.equal(201);
  });

  it('R3 R1: partner users may see a quote but not refund; a member sees neither; another tenant\'s order is 404', async () => {
    const o = await pay();
    expect((await quote(o.id, w.A.pa)).status).to.equal(200);
    const byPartner = await refund(o.id, w.A.pa);
    expect(byPartner.status).to.equal(403);
    expect(byPartner.body.error.message).to.equal('your role may not refund this Order');
    expect((await quote(o.id, w.A.am)).status).to.equal(404);
    expect((await refund(o.id, w.A.am)).status).to.equal(404);
    expect((await quote(o.id, w.B.af)).status).to.equal(404);
    expect((await refund(o.id, w.B.ao)).status).to.equal(404);
    expect((await call('GET', `/v1/orders/${o.id}/refund`, { token: w.A.af.token })).status).to.equal(404);
    const byAdmin = await refund(o.id, w.admin);
    expect(byAdmin.status).to.equal(201);
    expect(byAdmin.body.createdBy).to.equal(w.admin.id);
  });

  it('R28 R3: only the platform admin reads and sets the refund policy', async () => {
    const got = await call('GET', '/v1/admin/refund-policy', { token: w.admin.token });
    expect(got.status).to.equal(200);
    expect(got.body.policy).to.equal('none');
    await setPolicy('proportional');
    const now = await call('GET', '/v1/admin/refund-policy', { token: w.admin.token });
    expect(now.body).to.deep.include({ policy: 'proportional', updatedBy: w.admin.id });
    for (const p of [w.bd, w.A.pa, w.A.af, w.A.ao]) {
      expect((await call('GET', '/v1/admin/refund-policy', { token: p.token })).status).to.equal(403);
      expect((await call('PUT', '/v1/admin/refund-policy', { token: p.token, body: { policy: 'none' } })).status).to.equal(403);
    }
    const bad = await call('PUT', '/v1/admin/refund-policy', { token: w.admin.token, body: { policy: 'generous' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details[0].field).to.equal('body.policy');
  });

  it('R24 R27 R28: the account statement lists the period\'s refunds with their terms and totals, and the CSV as negative refund lines', async () => {
    const c = await coupon({ balance: 20000 });
    const full = await pay({ coupon: c });
    const plain = await pay({ amount: '5000' });
    const r1 = (await refund(full.id)).body;
    const r2 = (await refund(plain.id)).body;
    const month = new Date().toISOString().slice(0, 7);
    const st = await call('GET', `/v1/accounts/${w.A.account}/statement?period=monthly&date=${month}`, { token: w.A.af.token });
    expect(st.status).to.equal(200);
    expect(st.body.refunds.map((r: { id: string }) => r.id)).to.have.members([r1.id, r2.id]);
    expect(st.body.refunds.find((r: { id: string }) => r.id === r1.id)).to.deep.include({ orderId: full.id, rule: 'five_day_full', products: 'cvm', cashPaid: '100000', cashRefund: '100000', couponId: c, couponReturn: '20000' });
    expect(st.body.refundTotals).to.deep.equal([{ currency: 'USD', cashRefund: '105000', couponReturn: '20000', handlingFee: '0' }]);
    const csv = await call('GET', `/v1/accounts/${w.A.account}/statement?period=monthly&date=${month}&format=csv`, { token: w.A.af.token });
    const line = (csv.body as string).split('\n').find((l) => l.includes(r1.id));
    expect(line).to.match(new RegExp(`,refund,${r1.id},cvm,USD,-120000,-20000,${c}:-20000,-100000`));
  });

  it('R26: reconciliation holds after refunds and reports a refunded order whose refund and ledger disagree', async () => {
    const c = await coupon({ balance: 20000 });
    const o = await pay({ coupon: c });
    const r = await refund(o.id);
    expect(r.status).to.equal(201);
    const other = await pay();
    const qr = harness.ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      const clean: Report = await reconcileWith(qr.manager);
      expect(clean.refunds.mismatches.filter((m) => [o.id, other.id].includes(m.orderId))).to.deep.equal([]);
      expect(clean.orders.mismatches.filter((m) => m.orderId === o.id)).to.deep.equal([]);
      await qr.query(`UPDATE orders SET status = 'paid' WHERE id = $1`, [o.id]);
      await qr.query(
        `INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after, order_id)
         SELECT tenant_id, $1, account_id, 'return', 0, 20000, id FROM orders WHERE id = $2`,
        [c, other.id],
      );
      const broken = await reconcileWith(qr.manager);
      const mine = broken.refunds.mismatches.filter((m) => [o.id, other.id].includes(m.orderId));
      expect(mine).to.deep.include.members([
        { orderId: o.id, tenantId: w.A.partner, refundId: r.body.id, orderStatus: 'paid', couponReturn: '20000', ledgerReturned: '20000', termsDiffer: false },
        { orderId: other.id, tenantId: w.A.partner, refundId: null, orderStatus: 'paid', couponReturn: null, ledgerReturned: '0', termsDiffer: false },
      ]);
      expect(broken.ok).to.equal(false);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  });

  it('bad input: a refund body with an unknown field or an oversize reason is 400 and writes nothing', async () => {
    const o = await pay();
    const before = await fingerprint(harness.ds);
    const unknown = await refund(o.id, w.A.af, { reason: 'x', amount: '1' });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.details[0].field).to.equal('body.amount');
    expect((await refund(o.id, w.A.af, { reason: 'x'.repeat(1001) })).status).to.equal(400);
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
  });
});
