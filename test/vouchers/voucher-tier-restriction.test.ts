import { expect } from 'chai';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { buildWorld, type Person, type World } from '../support/world';
import { ensureProducts } from '../support/coupons-world';
import { fingerprint } from '../support/db-fingerprint';

const DAY = 86_400_000;
const REASON = "a vendor-borne coupon is never issued to a tier-2 reseller's account";

/** R6 R32: vouchers are vendor-borne, so the tier-2 restriction holds for them as for templates (CASL). */
describe('R6 R32 vouchers and the tier-2 restriction', () => {
  let w: World;
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const grant = (partnerId: string) =>
    call('POST', '/v1/voucher-pools', { token: w.admin.token, body: { partnerId, currency: 'USD', amount: '100000', validUntil: new Date(Date.now() + 30 * DAY).toISOString() } });
  const make = (poolId: string, accountIds: string[], by: Person = w.A.pa) =>
    call('POST', `/v1/voucher-pools/${poolId}/vouchers`, { token: by.token, body: { faceValue: '5000', accountIds } });

  it("R6 R32: a voucher made for a reseller's billing account is 403 with the reason and the account named; nothing is written", async () => {
    const pool = (await grant(w.A.partner)).body.id as string;
    const before = await fingerprint(harness.ds);
    const res = await make(pool, [w.A.account, w.A.resellerAccount]);
    expect(res.status).to.equal(403);
    expect(res.body.error).to.deep.equal({ code: 'forbidden', message: REASON, details: { accountIds: [w.A.resellerAccount] } });
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
  });

  it("R6 R32: sharing a voucher later with a reseller's billing account is 403 too; the voucher keeps its holders and cannot pay for it", async () => {
    const pool = (await grant(w.A.partner)).body.id as string;
    const voucher = (await make(pool, [w.A.account])).body.id as string;
    const before = await fingerprint(harness.ds);
    const res = await call('POST', `/v1/vouchers/${voucher}/holders`, { token: w.A.pa.token, body: { accountIds: [w.A.resellerAccount] } });
    expect(res.status).to.equal(403);
    expect(res.body.error).to.deep.equal({ code: 'forbidden', message: REASON, details: { accountIds: [w.A.resellerAccount] } });
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    const [h] = await harness.ds.query(`SELECT array_agg(account_id::text) AS ids FROM coupon_holders WHERE coupon_id = $1`, [voucher]);
    expect(h.ids).to.deep.equal([w.A.account]);
  });

  it('R6 R32: the vendor grants no voucher pool to a tier-2 reseller (403 with the reason), and a reseller makes no voucher even from a pool it holds', async () => {
    const before = await fingerprint(harness.ds);
    const refused = await grant(w.A.reseller);
    expect(refused.status).to.equal(403);
    expect(refused.body.error.message).to.equal('a voucher pool makes vendor-borne vouchers, which a tier-2 reseller cannot make');
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    // A pool a reseller holds from before this rule: its admin still cannot make a voucher from it.
    const [pool] = await harness.ds.query(
      `WITH p AS (INSERT INTO voucher_pools (tenant_id, partner_id, currency, granted, balance, valid_from, valid_until, granted_by)
                  VALUES ($1, $2, 'USD', 1000, 1000, now(), now() + interval '30 days', $3) RETURNING tenant_id, id, balance)
       INSERT INTO voucher_pool_ledger (tenant_id, pool_id, type, amount, balance_after, actor_user_id) SELECT tenant_id, id, 'grant', balance, balance, $3 FROM p RETURNING pool_id AS id`,
      [w.A.partner, w.A.reseller, w.admin.id],
    );
    const again = await fingerprint(harness.ds);
    const made = await make(pool.id, [w.A.resellerCustomer], w.A.ra);
    expect(made.status).to.equal(403);
    expect(made.body.error.message).to.equal('a tier-2 reseller cannot make vendor-borne vouchers');
    expect(await fingerprint(harness.ds)).to.deep.equal(again);
  });
});
