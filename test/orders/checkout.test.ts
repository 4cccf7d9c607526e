import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World, type Person } from '../support/world';
import { ensureProducts, insertCoupon, ledgerMismatches, type CouponSpec } from '../support/coupons-world';
import { couponChange, ledgerRows } from '../../src/coupons/ledger.sql';

const DAY = 86_400_000;
const order = (items: { productCode: string; amount: string; durationMonths?: number }[], over: Record<string, unknown> = {}) => ({
  currency: 'USD',
  scenario: 'purchase',
  items,
  ...over,
});

describe('R21 R22 R26 prepaid checkout: quote, pay, idempotency, concurrency', () => {
  let w: World;
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });
  const coupon = (spec: CouponSpec = {}) => insertCoupon(w.A.couponD, w.A.account, spec);
  const quote = (body: unknown, explain = false, by: Person = w.A.af) =>
    call('POST', `/v1/checkout/quote${explain ? '?explain=true' : ''}`, { token: by.token, body });
  const pay = (body: Record<string, unknown>, key = randomUUID(), by: Person = w.A.af) =>
    call('POST', '/v1/orders', { token: by.token, body, headers: { 'idempotency-key': key } });
  const balance = async (id: string) => (await harness.ds.query(`SELECT balance::text, status FROM coupons WHERE id = $1`, [id]))[0];

  it('R22: a quote lists every applicable coupon with its deduction, largest balance first; explain adds the others with their codes', async () => {
    const small = await coupon({ balance: 1000 });
    const big = await coupon({ balance: 9000 });
    const mysqlOnly = await coupon({ balance: 20000, productCodes: ['mysql'] });
    const res = await quote(order([{ productCode: 'cvm', amount: '6000' }]));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.total).to.equal('6000');
    expect(res.body.applicable.map((c: { couponId: string }) => c.couponId)).to.deep.equal([big, small]);
    expect(res.body.applicable[0]).to.deep.include({ balance: '9000', deduction: '6000', cash: '0' });
    expect(res.body.applicable[1]).to.deep.include({ balance: '1000', deduction: '1000', cash: '5000' });
    expect(res.body).to.not.have.property('refused');
    const explained = await quote(order([{ productCode: 'cvm', amount: '6000' }]), true);
    const codes = Object.fromEntries(explained.body.refused.map((r: { couponId: string; code: string }) => [r.couponId, r.code]));
    expect(codes[mysqlOnly]).to.equal('no_item_in_scope');
    expect(codes[w.A.couponD]).to.equal('billing_mode'); // the world's coupon is pay-as-you-go only
  });

  it('R21: paying with a chosen coupon deducts min(balance, in-scope amount), the rest is cash, and the ledger records it on the order', async () => {
    const c = await coupon({ balance: 10000, productCodes: ['cvm'] });
    const res = await pay({ ...order([{ productCode: 'cvm', amount: '6000' }, { productCode: 'mysql', amount: '9000' }]), coupon: c });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.deep.include({ total: '15000', couponId: c, couponDeduction: '6000', cash: '9000', status: 'paid' });
    expect(await balance(c)).to.deep.equal({ balance: '4000', status: 'unused' });
    const [row] = await harness.ds.query(`SELECT amount::text, balance_after::text, order_id FROM coupon_ledger WHERE coupon_id = $1 AND type = 'deduct'`, [c]);
    expect(row).to.deep.equal({ amount: '-6000', balance_after: '4000', order_id: res.body.id });
    expect(await ledgerMismatches([c])).to.deep.equal([]);
  });

  it('R21 R22: `best` takes the first coupon in priority; `none` pays all in cash and touches no coupon', async () => {
    const small = await coupon({ balance: 1000 });
    const big = await coupon({ balance: 3000 });
    const best = await pay({ ...order([{ productCode: 'cvm', amount: '2500' }]), coupon: 'best' });
    expect(best.body).to.deep.include({ couponId: big, couponDeduction: '2500', cash: '0' });
    const none = await pay({ ...order([{ productCode: 'cvm', amount: '2500' }]), coupon: 'none' });
    expect(none.body).to.deep.include({ couponId: null, couponDeduction: '0', cash: '2500' });
    expect(await balance(small)).to.deep.equal({ balance: '1000', status: 'unused' });
  });

  it('R21: a reusable coupon is spent over several orders until it is used up; then it no longer applies', async () => {
    const c = await coupon({ balance: 5000 });
    for (const [amount, left] of [['2000', '3000'], ['2000', '1000'], ['2000', '0']] as const) {
      expect((await pay({ ...order([{ productCode: 'cvm', amount }]), coupon: c })).status).to.equal(201);
      expect((await balance(c)).balance).to.equal(left);
    }
    expect((await balance(c)).status).to.equal('used');
    const again = await pay({ ...order([{ productCode: 'cvm', amount: '100' }]), coupon: c });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.deep.include({ code: 'coupon_not_applicable' });
    expect(again.body.error.details.code).to.equal('not_usable');
  });

  it('R21: a one-time coupon becomes used after its first payment, whatever is left', async () => {
    const c = await coupon({ balance: 5000, usage: 'one_time' });
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '1000' }]), coupon: c })).body.couponDeduction).to.equal('1000');
    expect(await balance(c)).to.deep.equal({ balance: '4000', status: 'used' });
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '1000' }]), coupon: c })).status).to.equal(409);
  });

  it('R18 R19 R20: minimum spend, duration limit and promotional orders are refused with their codes', async () => {
    const min = await coupon({ balance: 5000, productCodes: ['cvm', 'mysql'], minSpend: 10000 });
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '10000' }]), coupon: min })).body.error.details.code).to.equal('min_spend_not_met');
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '10001' }]), coupon: min })).status).to.equal(201);
    const dur = await coupon({ maxDurationMonths: 3 });
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '100', durationMonths: 4 }]), coupon: dur })).body.error.details.code).to.equal('duration_too_long');
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '100' }], { promotional: true }), coupon: dur })).body.error.details.code).to.equal('promotional_order');
  });

  it('Idempotency-Key: the same key and body return the first order; another body is 409; no key is 400', async () => {
    const c = await coupon({ balance: 5000 });
    const key = randomUUID();
    const body = { ...order([{ productCode: 'cvm', amount: '1000' }]), coupon: c };
    const first = await pay(body, key);
    const again = await pay(body, key);
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect((await pay({ ...body, items: [{ productCode: 'cvm', amount: '999' }] }, key)).status).to.equal(409);
    const missing = await call('POST', '/v1/orders', { token: w.A.af.token, body });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.details[0].field).to.equal('headers.idempotency-key');
    expect((await balance(c)).balance).to.equal('4000');
  });

  it('R3 R1: a member cannot pay or quote; another tenant\'s account or coupon is 404', async () => {
    const c = await coupon();
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '100' }]), coupon: c }, randomUUID(), w.A.am)).status).to.equal(403);
    expect((await quote(order([{ productCode: 'cvm', amount: '100' }]), false, w.A.am)).status).to.equal(403);
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '100' }]), accountId: w.B.account, coupon: 'none' })).status).to.equal(404);
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '100' }]), coupon: w.B.couponD })).status).to.equal(404);
  });

  it('R26: 50 parallel payments against a reusable coupon whose balance covers 10: exactly the balance is deducted, it ends at 0, the ledger agrees', async () => {
    const c = await coupon({ balance: 10_000 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => pay({ ...order([{ productCode: 'cvm', amount: '1000' }]), coupon: c })),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).to.have.length(10);
    expect(results.filter((r) => r.status === 409)).to.have.length(40);
    expect(ok.reduce((s, r) => s + BigInt(r.body.couponDeduction), 0n)).to.equal(10_000n);
    expect(await balance(c)).to.deep.equal({ balance: '0', status: 'used' });
    expect(await ledgerMismatches([c])).to.deep.equal([]);
    const [sum] = await harness.ds.query(`SELECT (-sum(amount))::text AS d FROM coupon_ledger WHERE coupon_id = $1 AND type = 'deduct'`, [c]);
    expect(sum.d).to.equal('10000');
  });

  it('R21 R26: 20 parallel payments with a one-time coupon use it exactly once', async () => {
    const c = await coupon({ balance: 5000, usage: 'one_time' });
    const results = await Promise.all(Array.from({ length: 20 }, () => pay({ ...order([{ productCode: 'cvm', amount: '700' }]), coupon: c })));
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM orders WHERE coupon_id = $1`, [c]);
    expect(n.n).to.equal(1);
    expect(await balance(c)).to.deep.equal({ balance: '4300', status: 'used' });
  });

  it('Idempotency under parallel duplicates: 10 identical requests with one key make one order', async () => {
    const c = await coupon({ balance: 5000 });
    const key = randomUUID();
    const body = { ...order([{ productCode: 'cvm', amount: '1000' }]), coupon: c };
    const results = await Promise.all(Array.from({ length: 10 }, () => pay(body, key)));
    expect(new Set(results.map((r) => r.status))).to.deep.equal(new Set([201]));
    expect(new Set(results.map((r) => r.body.id)).size).to.equal(1);
    const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM orders WHERE idempotency_key = $1`, [key]);
    expect(n.n).to.equal(1);
    expect((await balance(c)).balance).to.equal('4000');
  });

  it('R21 R26: a payment whose coupon changed after it was read is recomputed under the row lock, never from the stale balance', async () => {
    const c = await coupon({ balance: 3000 });
    // Another writer holds the coupon's row lock and takes 2000 of it (a reclaim), not yet committed.
    const other = harness.ds.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    try {
      await other.query(`SELECT 1 FROM coupons WHERE id = $1 FOR UPDATE`, [c]);
      await other.query(
        `WITH c AS (${couponChange({ balance: 'c.balance - 2000', status: 'c.status', where: 'c.id = $1', returning: 'c.tenant_id, c.id, c.account_id, c.balance' })})
         ${ledgerRows({ type: 'reclaim', from: 'c', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: '-2000', after: 'balance' })}`,
        [c],
      );
      // The payment reads the committed balance (3000, all of which would apply) and then waits on the lock.
      const paying = pay({ ...order([{ productCode: 'cvm', amount: '5000' }]), coupon: c });
      for (;;) {
        const [w] = await harness.ds.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE NOT l.granted AND a.query LIKE '%INSERT INTO orders%'`,
        );
        if (w.n > 0) break;
        await new Promise((r) => setImmediate(r));
      }
      await other.commitTransaction();
      const res = await paying;
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include({ couponDeduction: '1000', cash: '4000' });
      expect(await balance(c)).to.deep.equal({ balance: '0', status: 'used' });
      expect(await ledgerMismatches([c])).to.deep.equal([]);
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
  });

  it('R14: a coupon outside its window does not apply', async () => {
    const later = await coupon({ validFrom: new Date(Date.now() + DAY), validUntil: new Date(Date.now() + 2 * DAY) });
    expect((await pay({ ...order([{ productCode: 'cvm', amount: '100' }]), coupon: later })).body.error.details.code).to.equal('not_yet_valid');
  });

  describe('authentication inside the checkout statement (quote and pay look the token up in their own first statement)', () => {
    const body = () => order([{ productCode: 'cvm', amount: '100' }]);
    const written = async () =>
      (await harness.ds.query(`SELECT (SELECT count(*)::int FROM orders) + (SELECT count(*)::int FROM coupon_ledger WHERE type = 'deduct') AS n`))[0].n;

    it('a missing, unknown, revoked or deactivated token is 401 and writes nothing; an unknown token is 401 before a bad body is 400', async () => {
      const c = await coupon();
      const before = await written();
      const unknown = `cc_${'A'.repeat(43)}`;
      expect((await call('POST', '/v1/checkout/quote', { body: body() })).status).to.equal(401);
      expect((await call('POST', '/v1/orders', { body: { ...body(), coupon: c }, headers: { 'idempotency-key': randomUUID() } })).status).to.equal(401);
      for (const bad of [{ ...body(), coupon: c, extra: 1 }, { ...body(), coupon: c }]) {
        const res = await call('POST', '/v1/orders', { token: unknown, body: bad }); // and no Idempotency-Key
        expect(res.status, JSON.stringify(res.body)).to.equal(401);
        expect(res.body.error.message).to.equal('unknown or revoked token');
      }
      expect((await quote({ ...body(), extra: 1 }, false, { ...w.A.af, token: unknown })).status).to.equal(401);
      expect((await pay({ ...body(), coupon: c })).status).to.equal(201);
      expect((await as(w.A.af.token).post(`/v1/tokens/${w.A.af.tokenId}/revoke`)).status).to.equal(200);
      const afterFirst = await written();
      expect(afterFirst).to.equal(before + 2);
      const revoked = await pay({ ...body(), coupon: c });
      expect(revoked.status).to.equal(401);
      expect(revoked.body.error.message).to.equal('unknown or revoked token');
      expect((await quote(body())).status).to.equal(401);
      await harness.ds.query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [w.A.ao.id]);
      expect((await pay({ ...body(), coupon: c }, randomUUID(), w.A.ao)).status).to.equal(401);
      expect((await quote(body(), false, w.A.ao)).status).to.equal(401);
      await harness.ds.query(`UPDATE accounts SET status = 'deactivated' WHERE id = $1`, [w.A.account]);
      expect((await quote(body(), false, w.A.am)).status).to.equal(401); // a deactivated account's users
      expect(await written()).to.equal(afterFirst);
      expect((await pay({ ...body(), coupon: 'none' }, randomUUID(), w.B.af)).status).to.equal(201); // other accounts pay on
    });

    it('CASL decides on the account read by that statement: out of scope is 404, in scope without the action is 403, and neither writes', async () => {
      const c = await coupon();
      const before = await written();
      const forA = (over: Record<string, unknown> = {}) => ({ ...body(), accountId: w.A.account, ...over });
      // Readable orders of A's account: its partner's users and the platform admin quote; none of them pays.
      for (const p of [w.A.pa, w.A.po, w.A.pv, w.admin]) {
        expect((await quote(forA(), false, p)).status, p.role).to.equal(200);
        expect((await pay(forA({ coupon: c }), randomUUID(), p)).status, p.role).to.equal(403);
      }
      // Not theirs to read: the reseller's staff, a BD, another tenant (by id, by default account).
      for (const p of [w.A.ra, w.A.ro, w.bd, w.B.pa, w.B.af, w.B.am]) {
        expect((await quote(forA(), false, p)).status, p.role).to.equal(404);
        expect((await pay(forA({ coupon: 'best' }), randomUUID(), p)).status, p.role).to.equal(404);
      }
      // No account of one's own and none named: 422.
      expect((await quote(body(), false, w.A.pa)).status).to.equal(422);
      expect(await written()).to.equal(before);
      expect((await pay(forA({ coupon: c }), randomUUID(), w.A.ao)).status).to.equal(201);
    });

    it('touches the token\'s last_used_at, at most once a minute', async () => {
      await harness.ds.query(`UPDATE api_tokens SET last_used_at = NULL WHERE id = $1`, [w.A.af.tokenId]);
      expect((await quote(body())).status).to.equal(200);
      const [first] = await harness.ds.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [w.A.af.tokenId]);
      expect(first.last_used_at).to.be.instanceOf(Date);
      expect((await pay({ ...body(), coupon: 'none' })).status).to.equal(201);
      const [second] = await harness.ds.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [w.A.af.tokenId]);
      expect(second.last_used_at.getTime()).to.equal(first.last_used_at.getTime());
    });

    it('the same routes spelled otherwise are authenticated by the middleware and answer the same', async () => {
      const c = await coupon({ balance: 500 });
      const q = await call('POST', '/v1/checkout/quote/', { token: w.A.af.token, body: body() });
      expect(q.status, JSON.stringify(q.body)).to.equal(200);
      expect(q.body.applicable.map((x: { couponId: string }) => x.couponId)).to.deep.equal([c]);
      const p = await call('POST', '/v1/Orders', { token: w.A.af.token, body: { ...body(), coupon: 'best' }, headers: { 'idempotency-key': randomUUID() } });
      expect(p.status, JSON.stringify(p.body)).to.equal(201);
      expect(p.body).to.deep.include({ couponId: c, couponDeduction: '100' });
      const other = await call('POST', '/v1/orders/', { token: w.B.af.token, body: { ...body(), accountId: w.A.account, coupon: 'none' }, headers: { 'idempotency-key': randomUUID() } });
      expect(other.status).to.equal(404);
      await harness.ds.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [w.A.af.tokenId]);
      expect((await call('POST', '/v1/checkout/quote/', { token: w.A.af.token, body: body() })).status).to.equal(401);
    });
  });
});
