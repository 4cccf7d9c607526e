import { expect } from 'chai';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { tablesWrittenBy } from '../support/db-fingerprint';
import { buildWorld, type World } from '../support/world';
import { ensureProducts, templateBody } from '../support/coupons-world';
import { addCodeFixtures, codesOf } from '../support/codes-world';
import { addVoucherFixtures, vouchersOf } from '../support/vouchers-world';
import { addBudgetFixtures, budgetsOf } from '../support/budgets-world';
import { givePassword, PASSWORD } from '../support/sessions';
import { signInLimits } from '../../src/auth/sessions/sign-in-limits';

/**
 * Every write route: an unknown field, a wrong type, an oversize value, broken JSON and a bad path
 * id are each a 400 naming the field, and the database is byte-for-byte unchanged afterwards.
 */
interface WriteRoute {
  name: string;
  method: 'POST' | 'PATCH' | 'PUT';
  path: (w: World) => string;
  valid: (w: World) => Record<string, unknown>;
  typeField?: string; // a field to send with the wrong type
  longField?: string; // a string field to send oversize
  admin?: boolean; // sent by the platform admin
  bd?: boolean; // sent by the BD of the request's partner
  reseller?: boolean; // sent by the reseller's admin
  payerB?: boolean; // sent by tree B's account finance user
  ok?: number; // the status of its valid body, when not 200 or 201 by name
  headers?: Record<string, string>;
}

function actorFor(route: WriteRoute, w: World): string {
  if (route.admin || route.name === 'create partner') return w.admin.token;
  if (route.bd) return route.path(w).includes(w.B.reqD) ? w.otherBd.token : w.bd.token;
  if (route.reseller) return w.B.ra.token;
  if (route.payerB) return w.B.af.token;
  return w.A.pa.token;
}

const long = 'x'.repeat(10_000);
const ROUTES: WriteRoute[] = [
  { name: 'create partner', method: 'POST', path: () => '/v1/partners', valid: () => ({ name: 'P', admin: { email: 'p@x.example', name: 'P' } }), typeField: 'name', longField: 'name' },
  { name: 'update partner', method: 'PATCH', path: (w) => `/v1/partners/${w.A.partner}`, valid: () => ({ name: 'P2' }), typeField: 'name', longField: 'name' },
  { name: 'deactivate partner', method: 'POST', path: (w) => `/v1/partners/${w.A.reseller}/deactivate`, valid: () => ({ reason: 'r' }), typeField: 'reason', longField: 'reason' },
  { name: 'create account', method: 'POST', path: () => '/v1/accounts', valid: (w) => ({ name: 'A', partnerId: w.A.partner, owner: { email: 'o@x.example', name: 'O' } }), typeField: 'partnerId', longField: 'name' },
  { name: 'rename account', method: 'PATCH', path: (w) => `/v1/accounts/${w.A.account}`, valid: () => ({ name: 'A2' }), typeField: 'name', longField: 'name' },
  { name: 'deactivate account', method: 'POST', path: (w) => `/v1/accounts/${w.A.account2}/deactivate`, valid: () => ({ reason: 'r' }), typeField: 'reason', longField: 'reason' },
  { name: 'create user', method: 'POST', path: () => '/v1/users', valid: () => ({ email: 'u@x.example', name: 'U', role: 'partner_viewer' }), typeField: 'role', longField: 'email' },
  { name: 'update user', method: 'PATCH', path: (w) => `/v1/users/${w.A.po.id}`, valid: () => ({ name: 'U2' }), typeField: 'name', longField: 'name' },
  { name: 'deactivate user', method: 'POST', path: (w) => `/v1/users/${w.A.pv.id}/deactivate`, valid: () => ({ reason: 'r' }), typeField: 'reason', longField: 'reason' },
  { name: 'create token', method: 'POST', path: (w) => `/v1/users/${w.A.po.id}/tokens`, valid: () => ({ name: 'ci' }), typeField: 'name', longField: 'name' },
  { name: 'revoke token', method: 'POST', path: (w) => `/v1/tokens/${w.A.po.tokenId}/revoke`, valid: () => ({}) },
  { name: 'create product', method: 'POST', path: () => '/v1/products', valid: () => ({ code: `p${Date.now()}`, name: 'P', category: 'c' }), typeField: 'refundable', longField: 'name', admin: true },
  { name: 'update product', method: 'PATCH', path: () => '/v1/products/cvm', valid: () => ({ name: 'Cloud Virtual Machine' }), typeField: 'marketplace', longField: 'category', admin: true },
  { name: 'grant budget', method: 'POST', path: (w) => `/v1/partners/${w.A.partner}/budgets`, valid: () => ({ kind: 'vendor', currency: 'USD', amount: '100000000', reason: 'r' }), typeField: 'amount', longField: 'reason', admin: true, ok: 201 },
  { name: 'change budget', method: 'PATCH', path: (w) => `/v1/budgets/${budgetsOf(w.A).distributor}`, valid: () => ({ amount: '100000', reason: 'r' }), typeField: 'amount', longField: 'reason', admin: true },
  { name: 'set budget', method: 'PUT', path: (w) => `/v1/partners/${w.A.partner}/budgets/USD`, valid: () => ({ amount: '100000' }), typeField: 'amount', admin: true },
  { name: 'create template', method: 'POST', path: () => '/v1/templates', valid: () => templateBody(), typeField: 'faceValue', longField: 'name' },
  { name: 'update template', method: 'PATCH', path: (w) => `/v1/templates/${w.A.tplD}`, valid: () => ({ name: 'T2' }), typeField: 'description', longField: 'description' },
  { name: 'submit request', method: 'POST', path: () => '/v1/issuance-requests', valid: (w) => ({ templateId: w.A.tplD, accountIds: [w.A.account] }), typeField: 'accountIds' },
  { name: 'submit offline request', method: 'POST', path: () => '/v1/issuance-requests', valid: (w) => ({ templateId: w.A.tplD, codeCount: 2 }), typeField: 'codeCount', ok: 201 },
  { name: 'approve request', method: 'POST', path: (w) => `/v1/issuance-requests/${w.A.reqD}/approve`, valid: () => ({}), bd: true },
  { name: 'reject request', method: 'POST', path: (w) => `/v1/issuance-requests/${w.B.reqD}/reject`, valid: () => ({ reason: 'no' }), typeField: 'reason', longField: 'reason', bd: true },
  { name: 'quote an order', method: 'POST', path: () => '/v1/checkout/quote', valid: (w) => ({ accountId: w.B.account, currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '100' }] }), typeField: 'items', payerB: true, ok: 200 },
  { name: 'pay an order', method: 'POST', path: () => '/v1/orders', valid: (w) => ({ accountId: w.B.account, currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '100' }], coupon: 'none' }), typeField: 'scenario', payerB: true, ok: 201, headers: { 'idempotency-key': 'bad-input-test-key' } },
  { name: 'refund an order', method: 'POST', path: (w) => `/v1/orders/${w.B.orderD}/refund`, valid: () => ({ reason: 'unsubscribed' }), typeField: 'reason', longField: 'reason', payerB: true, ok: 201 },
  { name: 'set resource state', method: 'PUT', path: (w) => `/v1/orders/${w.A.orderD}/resource-state`, valid: () => ({ state: 'active' }), typeField: 'state', admin: true, ok: 200 },
  { name: 'set refund policy', method: 'PUT', path: () => '/v1/admin/refund-policy', valid: () => ({ policy: 'none' }), typeField: 'policy', admin: true, ok: 200 },
  { name: 'ingest usage', method: 'POST', path: () => '/v1/usage', valid: (w) => ({ records: [{ usageId: 'bad-input-1', accountId: w.A.account, productCode: 'cvm', currency: 'USD', amount: '10', occurredAt: '2020-01-01T10:00:00Z' }] }), typeField: 'records', admin: true, ok: 200 },
  { name: 'start billing cycle', method: 'POST', path: () => '/v1/billing-cycles', valid: () => ({ period: 'daily', periodStart: '2020-01-01T00:00:00Z' }), typeField: 'period', admin: true, ok: 202 },
  { name: 'cancel request', method: 'POST', path: (w) => `/v1/issuance-requests/${w.B.reqR}/cancel`, valid: () => ({}), reseller: true },
  { name: 'archive template', method: 'POST', path: (w) => `/v1/templates/${w.A.tplD}/archive`, valid: () => ({}) },
  { name: 'record fault', method: 'POST', path: () => '/v1/admin/faults', valid: (w) => ({ productCode: 'cvm', kind: 'unavailability', cause: 'platform', start: '2020-01-01T10:00:00Z', end: '2020-01-01T11:00:00Z', accountIds: [w.A.account] }), typeField: 'kind', longField: 'description', admin: true, ok: 201 },
  { name: 'claim compensation', method: 'POST', path: (w) => `/v1/faults/${w.A.fault}/claims`, valid: (w) => ({ accountId: w.A.account }), typeField: 'accountId', ok: 201 },
  { name: 'generate activation codes', method: 'POST', path: (w) => `/v1/issuance-requests/${codesOf(w.A).offline}/activation-codes`, valid: () => ({}), ok: 201 },
  { name: 'grant voucher pool', method: 'POST', path: () => '/v1/voucher-pools', valid: (w) => ({ partnerId: w.A.partner, currency: 'USD', amount: '5000', validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() }), typeField: 'amount', longField: 'note', admin: true, ok: 201 },
  { name: 'make voucher', method: 'POST', path: (w) => `/v1/voucher-pools/${vouchersOf(w.A).pool}/vouchers`, valid: (w) => ({ faceValue: '100', accountIds: [w.A.account] }), typeField: 'faceValue', ok: 201 },
  { name: 'share voucher', method: 'POST', path: (w) => `/v1/vouchers/${vouchersOf(w.A).voucher}/holders`, valid: (w) => ({ accountIds: [w.A.account] }), typeField: 'accountIds' },
  { name: 'reclaim voucher', method: 'POST', path: (w) => `/v1/vouchers/${vouchersOf(w.A).voucher}/reclaim`, valid: () => ({}) },
  { name: 'close settlement month', method: 'POST', path: () => '/v1/settlement-months/1975-01/close', valid: () => ({}), admin: true, ok: 200 },
  { name: 'void coupon', method: 'POST', path: (w) => `/v1/coupons/${w.A.couponD}/void`, valid: () => ({ reason: 'issued by mistake' }), typeField: 'reason', longField: 'reason' },
  { name: 'void coupon list', method: 'POST', path: () => '/v1/coupons/void', valid: (w) => ({ couponIds: [w.A.couponD], reason: 'issued by mistake' }), typeField: 'couponIds', longField: 'reason' },
  { name: 'void request', method: 'POST', path: (w) => `/v1/issuance-requests/${w.A.issuedD}/void`, valid: () => ({ reason: 'issued by mistake' }), typeField: 'reason', longField: 'reason' },
  { name: 'sign in', method: 'POST', path: () => '/v1/session', valid: (w) => ({ email: w.A.pa.email, password: PASSWORD }), typeField: 'email', longField: 'password', ok: 201 },
  { name: 'set password', method: 'PUT', path: () => '/v1/me/password', valid: () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }), typeField: 'newPassword', longField: 'newPassword', ok: 204 },
  { name: 'activate a code', method: 'POST', path: (w) => `/v1/accounts/${w.B.account}/coupon-activations`, valid: (w) => ({ code: codesOf(w.B).code }), typeField: 'code', longField: 'code', payerB: true },
];

// Routes whose path carries no uuid to forge.
const NO_ID = new Set(['create partner', 'create account', 'create user', 'create product', 'update product', 'create template', 'submit request', 'quote an order', 'pay an order', 'ingest usage', 'start billing cycle', 'set refund policy', 'record fault', 'submit offline request', 'grant voucher pool', 'sign in', 'set password', 'close settlement month', 'void coupon list']);

describe('bad input on every write route is 400 and writes nothing', () => {
  let w: World;
  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await addCodeFixtures(w);
    await addVoucherFixtures(w);
    await addBudgetFixtures(w);
    await givePassword(harness.ds, [w.A.pa.id]);
    await signInLimits(harness.redis).resetAddress('127.0.0.1');
  });

  const refused = async (route: WriteRoute, body: unknown, field: string, path = route.path(w)) => {
    const token = actorFor(route, w);
    const { result: res, written } = await tablesWrittenBy(harness.ds, () => call(route.method, path, { token, body, headers: route.headers }));
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    expect(res.body.error.code).to.match(/^(validation_failed|invalid_json)$/);
    if (res.body.error.code === 'validation_failed') {
      expect(res.body.error.details.map((d: { field: string }) => d.field)).to.include(field);
    }
    expect(written, 'tables written').to.deep.equal([]);
  };

  for (const route of ROUTES) {
    it(`${route.name}: an unknown field is 400 naming it`, async () => {
      await refused(route, { ...route.valid(w), isAdmin: true }, 'body.isAdmin');
    });
    if (route.typeField) {
      const field = route.typeField;
      it(`${route.name}: a wrong type is 400 naming the field`, async () => {
        await refused(route, { ...route.valid(w), [field]: 12345 }, `body.${field}`);
      });
    }
    if (route.longField) {
      const field = route.longField;
      it(`${route.name}: an oversize string is 400 naming the field`, async () => {
        await refused(route, { ...route.valid(w), [field]: long }, `body.${field}`);
      });
    }
    it(`${route.name}: malformed JSON is 400`, async () => {
      await refused(route, '{"name": ', 'body');
    });
    if (!NO_ID.has(route.name)) {
      it(`${route.name}: a path id that is not a uuid is 400 naming it`, async () => {
        await refused(route, route.valid(w), 'params.id', route.path(w).replace(/[0-9a-f-]{36}/, 'not-a-uuid'));
      });
    }
  }

  it('an unknown query parameter, an oversize page and a forged cursor are 400', async () => {
    for (const [path, field] of [
      ['/v1/accounts?admin=1', 'query.admin'],
      ['/v1/accounts?limit=100000', 'query.limit'],
      ['/v1/accounts?cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
      ['/v1/accounts?kind=vip', 'query.kind'],
      ['/v1/accounts?kind=customer&kind=reseller', 'query.kind'],
    ] as const) {
      const res = await call('GET', path, { token: w.A.pa.token });
      expect(res.status, path).to.equal(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field), path).to.include(field);
    }
  });

  it('a body over the size limit is 413 and writes nothing', async () => {
    const { result: res, written } = await tablesWrittenBy(harness.ds, () =>
      call('POST', '/v1/users', { token: w.A.pa.token, body: JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }) }),
    );
    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal('payload_too_large');
    expect(written, 'tables written').to.deep.equal([]);
  });

  it('each valid body is accepted, so the refusals above are about the bad part alone', async () => {
    for (const route of ROUTES) {
      const token = actorFor(route, w);
      const res = await call(route.method, route.path(w), { token, body: route.valid(w), headers: route.headers });
      expect(res.status, `${route.name}: ${JSON.stringify(res.body)}`).to.equal(route.ok ?? (route.name.startsWith('create') || route.name === 'submit request' ? 201 : 200));
    }
  });
});
