import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { ensureProducts, insertCoupon } from '../support/coupons-world';
import { insertLedgerMoves, midMonth, monthsAgo } from '../support/deductions';

/**
 * R24: GET /v1/partners/:id/coupon-deductions, the partner's coupon deductions per month, subaccount
 * and currency (the JSON behind the portal's usage chart), from the same ledger as the monthly report.
 */
describe('R24 partner coupon deductions per month (JSON for charts)', () => {
  let w: World;
  const [m2, m1, m0] = [monthsAgo(2), monthsAgo(1), monthsAgo(0)];

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    const c1 = await insertCoupon(w.A.couponD, w.A.account, { balance: 100_000 });
    const c2 = await insertCoupon(w.A.couponD, w.A.account2, { balance: 100_000 });
    const eur = await insertCoupon(w.A.couponD, w.A.account2, { balance: 100_000, currency: 'EUR' });
    await insertLedgerMoves(c1, [
      { type: 'deduct', amount: 1200, at: midMonth(m2) },
      { type: 'deduct', amount: 300, at: midMonth(m2) },
      { type: 'deduct', amount: 2500, at: midMonth(m0) },
      { type: 'return', amount: 500, at: midMonth(m0) },
    ]);
    await insertLedgerMoves(c2, [{ type: 'deduct', amount: 700, at: midMonth(m1) }]);
    await insertLedgerMoves(eur, [{ type: 'deduct', amount: 999, at: midMonth(m1) }]);
    // The reseller's own coupons (another partner of the same tenant) are not the distributor's.
    await insertLedgerMoves(w.A.couponR, [{ type: 'deduct', amount: 4000, at: midMonth(m1) }]);
  });

  it('R24: per month x subaccount x currency, deducted / returned / net as minor-unit strings', async () => {
    const res = await as(w.A.pa.token).get(`/v1/partners/${w.A.partner}/coupon-deductions?from=${m2}&to=${m0}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ partnerId: w.A.partner, from: m2, to: m0 });
    expect(res.body.items).to.deep.equal([
      { month: m2, accountId: w.A.account, accountName: 'cust1-a', currency: 'USD', deducted: '1500', returned: '0', net: '1500' },
      { month: m1, accountId: w.A.account2, accountName: 'cust2-a', currency: 'EUR', deducted: '999', returned: '0', net: '999' },
      { month: m1, accountId: w.A.account2, accountName: 'cust2-a', currency: 'USD', deducted: '700', returned: '0', net: '700' },
      { month: m0, accountId: w.A.account, accountName: 'cust1-a', currency: 'USD', deducted: '2500', returned: '500', net: '2000' },
    ]);
  });

  it('R24: accountId narrows to one subaccount; a range outside the moves is empty', async () => {
    const one = await as(w.A.po.token).get(`/v1/partners/${w.A.partner}/coupon-deductions?from=${m2}&to=${m0}&accountId=${w.A.account2}`);
    expect(one.status).to.equal(200);
    expect(one.body.items.map((i: { accountId: string }) => i.accountId)).to.deep.equal([w.A.account2, w.A.account2]);
    const none = await as(w.A.pv.token).get(`/v1/partners/${w.A.partner}/coupon-deductions?from=2001-01&to=2001-12`);
    expect(none.status).to.equal(200);
    expect(none.body.items).to.deep.equal([]);
  });

  it('R1: another tenant\'s partner answers 404, like a missing one; the reseller sees only its own coupons', async () => {
    const other = await as(w.B.pa.token).get(`/v1/partners/${w.A.partner}/coupon-deductions?from=${m2}&to=${m0}`);
    expect(other.status).to.equal(404);
    const missing = await as(w.B.pa.token).get(`/v1/partners/00000000-0000-4000-8000-000000000000/coupon-deductions?from=${m2}&to=${m0}`);
    expect(missing.status).to.equal(404);
    const reseller = await as(w.A.ra.token).get(`/v1/partners/${w.A.reseller}/coupon-deductions?from=${m2}&to=${m0}`);
    expect(reseller.status).to.equal(200);
    expect(reseller.body.items).to.deep.equal([
      { month: m1, accountId: w.A.resellerCustomer, accountName: 'rcust-a', currency: 'USD', deducted: '4000', returned: '0', net: '4000' },
    ]);
    expect((await as(w.A.ao.token).get(`/v1/partners/${w.A.partner}/coupon-deductions?from=${m2}&to=${m0}`)).status).to.equal(404);
  });

  it('R24: bad input is a 400 naming the field: malformed month, to before from, more than 24 months, unknown field', async () => {
    const get = (qs: string) => as(w.A.pa.token).get(`/v1/partners/${w.A.partner}/coupon-deductions?${qs}`);
    const fields = async (qs: string) => {
      const res = await get(qs);
      expect(res.status, qs).to.equal(400);
      return (res.body.error.details as { field: string }[]).map((d) => d.field);
    };
    expect(await fields('from=2025-13&to=2026-01')).to.include('query.from');
    expect(await fields('from=2025-06&to=2025-05')).to.deep.equal(['query.to']);
    expect(await fields('from=2023-01&to=2025-01')).to.deep.equal(['query.to']);
    expect((await get('from=2025-01&to=2025-02&format=csv')).status).to.equal(400);
    expect((await get('to=2025-02')).status).to.equal(400);
  });

  it('R24: the endpoint is in the OpenAPI document', async () => {
    const op = (await call('GET', '/openapi.json')).body.paths['/v1/partners/{id}/coupon-deductions']?.get;
    expect(op, 'documented').to.not.equal(undefined);
    expect(op.parameters.map((p: { name: string }) => p.name)).to.include.members(['id', 'from', 'to', 'accountId']);
  });
});
