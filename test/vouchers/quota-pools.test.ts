import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { buildWorld, type Person, type World } from '../support/world';
import { bulkAccounts, ensureProducts, financeUsers, ledgerMismatches } from '../support/coupons-world';
import { reconcileWith } from '../../src/reconcile/reconcile';
import { nth } from '../../src/db/rows';

const DAY = 86_400_000;

describe('R32 voucher quota pools: grant, make, share, spend, reclaim', () => {
  let w: World;
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const grant = (amount: string, by: Person = w.admin, partnerId = w.A.partner) =>
    call('POST', '/v1/voucher-pools', { token: by.token, body: { partnerId, currency: 'USD', amount, validUntil: new Date(Date.now() + 30 * DAY).toISOString() } });
  const make = (poolId: string, body: Record<string, unknown>, by: Person = w.A.pa) =>
    call('POST', `/v1/voucher-pools/${poolId}/vouchers`, { token: by.token, body });
  const pay = (by: Person, accountId: string, coupon: string, amount: string) =>
    call('POST', '/v1/orders', {
      token: by.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { accountId, currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount }], coupon },
    });
  const pool = async (id: string) => (await harness.ds.query(`SELECT balance::text FROM voucher_pools WHERE id = $1`, [id]))[0].balance as string;
  const voucher = async (id: string) => (await harness.ds.query(`SELECT balance::text, status FROM coupons WHERE id = $1`, [id]))[0];
  const deducted = async (id: string) =>
    BigInt((await harness.ds.query(`SELECT coalesce(-sum(amount), 0)::text AS d FROM coupon_ledger WHERE coupon_id = $1 AND type = 'deduct'`, [id]))[0].d);
  const poolLedgerMismatch = async (id: string) =>
    harness.ds.query(
      `SELECT p.id FROM voucher_pools p WHERE p.id = $1 AND p.balance <> (SELECT sum(amount) FROM voucher_pool_ledger l WHERE l.pool_id = p.id)`,
      [id],
    );

  it('R32: only a platform admin grants a quota; the pool opens with a grant row in its ledger, and the partner sees it', async () => {
    expect((await grant('10000', w.A.pa)).status).to.equal(403);
    const res = await grant('10000');
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.deep.include({ partnerId: w.A.partner, currency: 'USD', granted: '10000', balance: '10000' });
    const seen = await call('GET', '/v1/voucher-pools', { token: w.A.po.token });
    expect(seen.body.items.map((p: { id: string }) => p.id)).to.deep.equal([res.body.id]);
    const ledger = await call('GET', `/v1/voucher-pools/${res.body.id}/ledger`, { token: w.A.pv.token });
    expect(ledger.body.items.map((l: { type: string; amount: string; balanceAfter: string }) => [l.type, l.amount, l.balanceAfter])).to.deep.equal([['grant', '10000', '10000']]);
  });

  it('R32: vouchers are made from the pool, which never goes below zero, also under 10 concurrent requests', async () => {
    const p = (await grant('10000')).body.id;
    const results = await Promise.all(Array.from({ length: 10 }, () => make(p, { faceValue: '3000' })));
    expect(results.filter((r) => r.status === 201)).to.have.length(3);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => r.body.error.code)).to.deep.equal(Array(7).fill('quota_exhausted'));
    expect(await pool(p)).to.equal('1000');
    expect(await poolLedgerMismatch(p)).to.deep.equal([]);
    const made = results.filter((r) => r.status === 201).map((r) => r.body);
    expect(made[0]).to.deep.include({ origin: 'voucher', poolId: p, accountId: null, templateId: null, balance: '3000', costBearer: 'vendor' });
    expect(await ledgerMismatches(made.map((v) => v.id))).to.deep.equal([]);
  });

  it('R32: a voucher shared with two accounts is in both wallets and pays at checkout from either, out of one balance', async () => {
    const p = (await grant('10000')).body.id;
    const v = (await make(p, { faceValue: '1000', accountIds: [w.A.account] })).body;
    const shared = await call('POST', `/v1/vouchers/${v.id}/holders`, { token: w.A.po.token, body: { accountIds: [w.A.account2] } });
    expect(shared.status, JSON.stringify(shared.body)).to.equal(200);
    expect(shared.body.holderIds).to.have.members([w.A.account, w.A.account2]);
    const fin2 = nth(await financeUsers(w.A.partner, w.A.partner, [w.A.account2]), 0); // (this test's own `first` is a payment)
    for (const [who, account] of [[w.A.af, w.A.account], [fin2, w.A.account2]] as const) {
      const wallet = await call('GET', `/v1/coupons?accountId=${account}`, { token: who.token });
      expect(wallet.body.items.map((c: { id: string }) => c.id)).to.include(v.id);
    }
    expect((await call('GET', `/v1/coupons?accountId=${w.A.account}`, { token: w.A.am.token })).status).to.equal(403); // R3: a member sees no coupons
    const first = await pay(w.A.af, w.A.account, v.id, '600');
    expect(first.body).to.deep.include({ couponId: v.id, couponDeduction: '600', cash: '0' });
    const second = await pay(fin2, w.A.account2, v.id, '700');
    expect(second.body).to.deep.include({ couponId: v.id, couponDeduction: '400', cash: '300' });
    expect(await voucher(v.id)).to.deep.equal({ balance: '0', status: 'used' });
    const rows = await harness.ds.query(`SELECT account_id, amount::text FROM coupon_ledger WHERE coupon_id = $1 AND type = 'deduct' ORDER BY id`, [v.id]);
    expect(rows).to.deep.equal([{ account_id: w.A.account, amount: '-600' }, { account_id: w.A.account2, amount: '-400' }]);
    expect(await ledgerMismatches([v.id])).to.deep.equal([]);
  });

  it('R32 R26: five accounts spending one shared voucher in parallel never take it below zero', async () => {
    const p = (await grant('10000')).body.id;
    const accounts = await bulkAccounts(w.A.partner, w.A.partner, 5);
    const payers = await financeUsers(w.A.partner, w.A.partner, accounts);
    const v = (await make(p, { faceValue: '5000', accountIds: accounts })).body;
    const results = await Promise.all(payers.flatMap((who, i) => Array.from({ length: 4 }, () => pay(who, nth(accounts, i), v.id, '1000'))));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).to.have.length(5);
    expect(results.filter((r) => r.status === 409)).to.have.length(15);
    expect(ok.reduce((s, r) => s + BigInt(r.body.couponDeduction), 0n)).to.equal(5000n);
    expect(await voucher(v.id)).to.deep.equal({ balance: '0', status: 'used' });
    expect(await ledgerMismatches([v.id])).to.deep.equal([]);
  });

  it('R32 R26: a reclaim racing payments in flight leaves pool + voucher + deductions equal to the grant', async () => {
    const p = (await grant('10000')).body.id;
    const accounts = await bulkAccounts(w.A.partner, w.A.partner, 3);
    const payers = await financeUsers(w.A.partner, w.A.partner, accounts);
    const v = (await make(p, { faceValue: '5000', accountIds: accounts })).body;
    const payments = Array.from({ length: 6 }, (_, i) => pay(nth(payers, i % 3), nth(accounts, i % 3), v.id, '700'));
    const reclaim = call('POST', `/v1/vouchers/${v.id}/reclaim`, { token: w.A.pa.token });
    const [reclaimed, ...paid] = await Promise.all([reclaim, ...payments]);
    expect(reclaimed.status, JSON.stringify(reclaimed.body)).to.equal(200);
    expect(reclaimed.body).to.deep.include({ status: 'revoked', balance: '0' });
    for (const r of paid) expect([201, 409]).to.include(r.status);
    const spent = await deducted(v.id);
    expect(spent).to.equal(BigInt(paid.filter((r) => r.status === 201).length * 700));
    expect(BigInt(await pool(p)) + BigInt((await voucher(v.id)).balance) + spent).to.equal(10_000n);
    expect(await poolLedgerMismatch(p)).to.deep.equal([]);
    expect(await ledgerMismatches([v.id])).to.deep.equal([]);
    const again = await call('POST', `/v1/vouchers/${v.id}/reclaim`, { token: w.A.pa.token });
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('nothing_to_reclaim');
  });

  it('R32 R26: reconcile checks every pool against its ledger and its vouchers, and reports a pool whose balance drifts', async () => {
    const p = (await grant('10000')).body.id;
    const v = (await make(p, { faceValue: '4000', accountIds: [w.A.account] })).body;
    await pay(w.A.af, w.A.account, v.id, '1000');
    expect((await call('POST', `/v1/vouchers/${v.id}/reclaim`, { token: w.A.pa.token })).status).to.equal(200);
    const ours = (r: Awaited<ReturnType<typeof reconcileWith>>) => r.voucherPools.mismatches.filter((m) => m.poolId === p);
    expect(ours(await reconcileWith(harness.ds.manager))).to.deep.equal([]);
    const qr = harness.ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      await qr.query(`UPDATE voucher_pools SET balance = balance - 1 WHERE id = $1`, [p]);
      expect(ours(await reconcileWith(qr.manager))).to.deep.equal([
        { poolId: p, tenantId: w.A.partner, balance: '8999', ledgerSum: '9000', granted: '10000', ledgerGranted: '10000', vouchersOff: 0 },
      ]);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  });

  it("R32 R1: another tenant's pool and voucher are 404; sharing with an account that is not the partner's is 422 and writes nothing", async () => {
    const p = (await grant('10000')).body.id;
    const v = (await make(p, { faceValue: '1000' })).body;
    expect((await call('GET', `/v1/voucher-pools/${p}`, { token: w.B.pa.token })).status).to.equal(404);
    expect((await make(p, { faceValue: '100' }, w.B.pa)).status).to.equal(404);
    expect((await call('GET', `/v1/vouchers/${v.id}`, { token: w.B.po.token })).status).to.equal(404);
    expect((await call('POST', `/v1/vouchers/${v.id}/reclaim`, { token: w.B.pa.token })).status).to.equal(404);
    const foreign = await call('POST', `/v1/vouchers/${v.id}/holders`, { token: w.A.pa.token, body: { accountIds: [w.B.account] } });
    expect(foreign.status).to.equal(422);
    expect(foreign.body.error).to.deep.include({ code: 'unknown_accounts' });
    const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM coupon_holders WHERE coupon_id = $1`, [v.id]);
    expect(n.n).to.equal(0);
    // A viewer reads but does not make, share or reclaim.
    expect((await make(p, { faceValue: '100' }, w.A.pv)).status).to.equal(403);
    expect((await call('POST', `/v1/vouchers/${v.id}/reclaim`, { token: w.A.pv.token })).status).to.equal(403);
    // A voucher cannot outlive its pool.
    const late = await make(p, { faceValue: '100', validUntil: new Date(Date.now() + 60 * DAY).toISOString() });
    expect(late.status).to.equal(422);
    expect(await pool(p)).to.equal('9000');
  });
});
