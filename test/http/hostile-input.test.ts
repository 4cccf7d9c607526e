import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { ensureProducts } from '../support/coupons-world';
import { fingerprint } from '../support/db-fingerprint';

/**
 * Inputs outside testing found answered with a 500, or read as what they were not: each is a 400
 * (or 415) with the error shape, and writes nothing.
 */
describe('bad input found by outside testing: 400 or 415, never a 500, nothing written', () => {
  let w: World;
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const refused = async (status: number, send: () => Promise<{ status: number; body: { error?: { code: string; details: unknown } } }>) => {
    const before = await fingerprint(harness.ds);
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    expect(res.body.error).to.have.keys(['code', 'message', 'details']);
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    return res.body.error!;
  };

  it('a malformed percent-escape in a path id is 400, not 500', async () => {
    for (const path of ['/v1/accounts/%ZZ', '/v1/coupons/%E0%A4%A/ledger', '/v1/templates/%']) {
      const e = await refused(400, () => as(w.A.pa.token).get(path));
      expect(e.code, path).to.equal('validation_failed');
    }
  });

  it('a NUL character in any string is 400 naming the field (PostgreSQL text cannot hold it)', async () => {
    const e = await refused(400, () => as(w.A.pa.token).patch(`/v1/accounts/${w.A.account}`, { name: 'Acme\u0000' }));
    expect(e.details).to.deep.equal([{ field: 'body.name', code: 'nul_character', message: 'text may not contain a NUL character' }]);
    const q = await refused(400, () => as(w.A.af.token).get(`/v1/coupons?product=cvm%00`));
    expect(q.details).to.deep.equal([{ field: 'query.product', code: 'nul_character', message: 'text may not contain a NUL character' }]);
    await refused(400, () => as(w.admin.token).post('/v1/usage', { records: [{ usageId: 'a\u0000b', accountId: w.A.account, productCode: 'cvm', currency: 'USD', amount: '1', occurredAt: '2020-01-01T00:00:00Z' }] }));
  });

  it('year 0000 (and other instants outside 1970-9999) in a cursor, expiresBefore, a fault and usage is 400', async () => {
    const cursor = Buffer.from(JSON.stringify(['0000-01-01T00:00:00Z', '7b0f0f3e-4a4e-4f7e-9a51-1d2b2c3d4e5f'])).toString('base64url');
    await refused(400, () => as(w.A.pa.token).get(`/v1/accounts?cursor=${cursor}`));
    await refused(400, () => as(w.A.af.token).get('/v1/coupons?expiresBefore=0000-01-01T00:00:00Z'));
    await refused(400, () => as(w.admin.token).post('/v1/usage', { records: [{ usageId: 'y0', accountId: w.A.account, productCode: 'cvm', currency: 'USD', amount: '1', occurredAt: '0000-06-01T00:00:00Z' }] }));
    const fault = { productCode: 'cvm', kind: 'unavailability', cause: 'platform', start: '0000-01-01T00:00:00Z', end: new Date(Date.now() - 60_000).toISOString(), accountIds: [w.A.account] };
    const e = await refused(400, () => as(w.admin.token).post('/v1/admin/faults', fault));
    expect((e.details as { field: string }[]).map((d) => d.field)).to.include('body.start');
  });

  it('an order whose items each pass but whose sum overflows bigint is 400, for the quote as for the payment', async () => {
    const items = Array.from({ length: 10 }, () => ({ productCode: 'cvm', amount: '999999999999999999' }));
    const body = { accountId: w.A.account, currency: 'USD', scenario: 'purchase', items };
    const q = await refused(400, () => as(w.A.af.token).post('/v1/checkout/quote', body));
    expect((q.details as { field: string }[]).map((d) => d.field)).to.deep.equal(['body.items']);
    await refused(400, () => call('POST', '/v1/orders', { token: w.A.af.token, headers: { 'idempotency-key': 'overflow-1234' }, body: { ...body, coupon: 'none' } }));
  });

  it('a body that is not application/json is 415 and is never applied; an empty array where no body is taken is 400', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const e = await refused(415, () => call('PATCH', `/v1/accounts/${w.A.account}`, { token: w.A.pa.token, body: JSON.stringify({ name: 'Renamed' }), headers: { 'content-type': contentType } }));
      expect(e).to.deep.include({ code: 'unsupported_media_type', details: { contentType } });
    }
    await refused(400, () => as(w.A.pa.token).post(`/v1/tokens/${w.A.po.tokenId}/revoke`, []));
    // A POST without a body (no Content-Type at all) is still fine where no body is taken.
    expect((await call('POST', `/v1/tokens/${w.A.po.tokenId}/revoke`, { token: w.A.pa.token })).status).to.equal(200);
  });
});
