import { expect } from 'chai';
import { harness } from '../support/harness';
import { call, type Reply } from '../support/http';
import { tablesWrittenBy } from '../support/db-fingerprint';
import { buildWorld, type Person, type Tree, type World } from '../support/world';
import { ensureProducts } from '../support/coupons-world';
import { addCodeFixtures, codesOf } from '../support/codes-world';
import { addVoucherFixtures, vouchersOf } from '../support/vouchers-world';
import { addBudgetFixtures, budgetsOf } from '../support/budgets-world';

/**
 * R1, R2, R3: every object route, every role, an object of one's own scope and the same kind of
 * object in another tenant. Own scope answers per the role table (403 when the role may see but not
 * do); another tenant's object is always 404, exactly like a missing one. A refusal (any 4xx) writes
 * nothing: the two trees' rows, the vendor's and the tenantless tables are the same afterwards. Each
 * case gets a fresh world, so state-changing cases cannot leak into each other.
 */
type RoleKey = 'admin' | 'bd' | 'pa' | 'po' | 'pv' | 'ra' | 'ao' | 'af' | 'am';
const ROLES: RoleKey[] = ['admin', 'bd', 'pa', 'po', 'pv', 'ra', 'ao', 'af', 'am'];

const actor = (w: World, r: RoleKey): Person => (r === 'admin' ? w.admin : r === 'bd' ? w.bd : w.A[r]);

// The object each role acts on in a tree: its own where it has one, else the distributor's.
const partnerOf = (t: Tree, r: RoleKey) => (r === 'ra' ? t.reseller : t.partner);
const accountOf = (t: Tree, r: RoleKey) => (r === 'ra' ? t.resellerCustomer : t.account);
const tplOf = (t: Tree, r: RoleKey) => (r === 'ra' ? t.tplR : t.tplD);
const reqOf = (t: Tree, r: RoleKey) => (r === 'ra' ? t.reqR : t.reqD);
const couponOf = (t: Tree, r: RoleKey) => (r === 'ra' ? t.couponR : t.couponD);
const orderOf = (t: Tree, r: RoleKey) => (r === 'ra' ? t.orderR : t.orderD);
const billOf = (t: Tree, r: RoleKey) => (r === 'ra' ? t.billR : t.billD);
const budgetOf = (t: Tree, r: RoleKey) => (r === 'ra' ? budgetsOf(t).reseller : budgetsOf(t).distributor);
const issuedOf = (t: Tree, r: RoleKey) => (r === 'ra' ? t.issuedR : t.issuedD);
const MONTH = new Date().toISOString().slice(0, 7);
const userOf = (t: Tree, r: RoleKey): Person =>
  ({ admin: t.po, bd: t.po, pa: t.po, po: t.pv, pv: t.po, ra: t.ro, ao: t.af, af: t.am, am: t.af })[r];

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: (t: Tree, r: RoleKey) => string;
  body?: unknown | ((t: Tree, r: RoleKey) => unknown);
  own: Record<RoleKey, number>;
  setup?: (w: World) => Promise<void>; // fixtures beyond the shared world
  because?: Partial<Record<RoleKey, RegExp>>; // a 403 whose reason is a rule's (R6), not the role's
}

const row = (s: number[]): Record<RoleKey, number> => Object.fromEntries(ROLES.map((r, i) => [r, s[i]])) as Record<RoleKey, number>;
//                                 admin bd   pa   po   pv   ra   ao   af   am
const CASES: Case[] = [
  { name: 'read partner', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'rename partner', method: 'PATCH', path: (t, r) => `/v1/partners/${partnerOf(t, r)}`, body: { name: 'renamed' }, own: row([200, 403, 200, 403, 403, 200, 404, 404, 404]) },
  { name: 'deactivate partner', method: 'POST', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/deactivate`, body: { reason: 'matrix' }, own: row([200, 403, 403, 403, 403, 403, 404, 404, 404]) },
  { name: 'partner history', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/history`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'read account', method: 'GET', path: (t, r) => `/v1/accounts/${accountOf(t, r)}`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 200]) },
  { name: 'rename account', method: 'PATCH', path: (t, r) => `/v1/accounts/${accountOf(t, r)}`, body: { name: 'renamed' }, own: row([403, 404, 200, 403, 403, 200, 200, 403, 403]) },
  { name: 'deactivate account', method: 'POST', path: (t, r) => `/v1/accounts/${accountOf(t, r)}/deactivate`, body: { reason: 'matrix' }, own: row([403, 404, 200, 403, 403, 200, 403, 403, 403]) },
  { name: 'account history', method: 'GET', path: (t, r) => `/v1/accounts/${accountOf(t, r)}/history`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 200]) },
  { name: 'read user', method: 'GET', path: (t, r) => `/v1/users/${userOf(t, r).id}`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 200]) },
  { name: 'rename user', method: 'PATCH', path: (t, r) => `/v1/users/${userOf(t, r).id}`, body: { name: 'renamed' }, own: row([200, 404, 200, 403, 403, 200, 200, 403, 403]) },
  { name: 'deactivate user', method: 'POST', path: (t, r) => `/v1/users/${userOf(t, r).id}/deactivate`, body: { reason: 'matrix' }, own: row([200, 404, 200, 403, 403, 200, 200, 403, 403]) },
  { name: 'user history', method: 'GET', path: (t, r) => `/v1/users/${userOf(t, r).id}/history`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 200]) },
  { name: 'create token for user', method: 'POST', path: (t, r) => `/v1/users/${userOf(t, r).id}/tokens`, body: { name: 'ci' }, own: row([201, 404, 201, 403, 403, 201, 201, 403, 403]) },
  { name: 'list user tokens', method: 'GET', path: (t, r) => `/v1/users/${userOf(t, r).id}/tokens`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 200]) },
  { name: 'revoke user token', method: 'POST', path: (t, r) => `/v1/tokens/${userOf(t, r).tokenId}/revoke`, own: row([200, 404, 200, 404, 404, 200, 200, 404, 404]) },
  // Templates (R4, R6): partner admins and operators design them; viewers, BDs and platform admins read.
  { name: 'read template', method: 'GET', path: (t, r) => `/v1/templates/${tplOf(t, r)}`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'rename template', method: 'PATCH', path: (t, r) => `/v1/templates/${tplOf(t, r)}`, body: { name: 'renamed' }, own: row([403, 403, 200, 200, 403, 200, 404, 404, 404]) },
  { name: 'archive template', method: 'POST', path: (t, r) => `/v1/templates/${tplOf(t, r)}/archive`, own: row([403, 403, 200, 200, 403, 200, 404, 404, 404]) },
  { name: 'template history', method: 'GET', path: (t, r) => `/v1/templates/${tplOf(t, r)}/history`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  // Issuance requests (R2, R9, R12): the partner submits and cancels; only the partner's BD decides.
  { name: 'read request', method: 'GET', path: (t, r) => `/v1/issuance-requests/${reqOf(t, r)}`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'request items', method: 'GET', path: (t, r) => `/v1/issuance-requests/${reqOf(t, r)}/items`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'request history', method: 'GET', path: (t, r) => `/v1/issuance-requests/${reqOf(t, r)}/history`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'approval detail', method: 'GET', path: (t, r) => `/v1/approval-queue/${reqOf(t, r)}`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'cancel request', method: 'POST', path: (t, r) => `/v1/issuance-requests/${reqOf(t, r)}/cancel`, own: row([403, 403, 200, 200, 403, 200, 404, 404, 404]) },
  { name: 'approve request', method: 'POST', path: (t, r) => `/v1/issuance-requests/${reqOf(t, r)}/approve`, own: row([403, 200, 403, 403, 403, 403, 404, 404, 404]) },
  { name: 'reject request', method: 'POST', path: (t, r) => `/v1/issuance-requests/${reqOf(t, r)}/reject`, body: { reason: 'matrix' }, own: row([403, 200, 403, 403, 403, 403, 404, 404, 404]) },
  // Coupons (R12, R13): the account's owner and finance users, and the issuing partner; never a member.
  { name: 'read coupon', method: 'GET', path: (t, r) => `/v1/coupons/${couponOf(t, r)}`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 404]) },
  { name: 'coupon ledger', method: 'GET', path: (t, r) => `/v1/coupons/${couponOf(t, r)}/ledger`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 404]) },
  { name: 'coupon ledger csv', method: 'GET', path: (t, r) => `/v1/coupons/${couponOf(t, r)}/ledger.csv`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 404]) },
  // Checkout (R21, R22): the account's payers; the partner may quote for its subaccounts.
  { name: 'quote an order', method: 'POST', path: () => '/v1/checkout/quote', body: (t: Tree, r: RoleKey) => ({ accountId: accountOf(t, r), currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '100' }] }), own: row([200, 404, 200, 200, 200, 200, 200, 200, 403]) },
  // Void (R35): the issuing partner's admins and operators; who may read the coupon but not void it is 403.
  { name: 'void coupon', method: 'POST', path: (t, r) => `/v1/coupons/${couponOf(t, r)}/void`, body: { reason: 'matrix' }, own: row([403, 404, 200, 200, 403, 200, 403, 403, 404]) },
  { name: 'void coupon list', method: 'POST', path: () => '/v1/coupons/void', body: (t: Tree, r: RoleKey) => ({ couponIds: [couponOf(t, r)], reason: 'matrix' }), own: row([403, 404, 200, 200, 403, 200, 403, 403, 404]) },
  { name: 'void request', method: 'POST', path: (t, r) => `/v1/issuance-requests/${issuedOf(t, r)}/void`, body: { reason: 'matrix' }, own: row([403, 403, 200, 200, 403, 200, 404, 404, 404]) },
  { name: 'coupon history', method: 'GET', path: (t, r) => `/v1/coupons/${couponOf(t, r)}/history`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 404]) },
  // Orders, bills and statements (R21, R24): the payers and the owning partner; never a member.
  { name: 'read order', method: 'GET', path: (t, r) => `/v1/orders/${orderOf(t, r)}`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 404]) },
  // Refunds (R27-R29): whoever reads the order sees the quote; its payers and the platform admin refund; the admin records resource states.
  { name: 'refund quote', method: 'GET', path: (t, r) => `/v1/orders/${orderOf(t, r)}/refund-quote`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 404]) },
  { name: 'refund order', method: 'POST', path: (t, r) => `/v1/orders/${orderOf(t, r)}/refund`, body: { reason: 'matrix' }, own: row([201, 404, 403, 403, 403, 403, 201, 201, 404]) },
  { name: 'set resource state', method: 'PUT', path: (t, r) => `/v1/orders/${orderOf(t, r)}/resource-state`, body: { state: 'grace_period' }, own: row([200, 404, 403, 403, 403, 403, 403, 403, 404]) },
  { name: 'settle bill', method: 'POST', path: (t, r) => `/v1/bills/${billOf(t, r)}/settle`, own: row([200, 404, 403, 403, 403, 403, 403, 403, 404]) },
  { name: 'account statement', method: 'GET', path: (t, r) => `/v1/accounts/${accountOf(t, r)}/statement?period=monthly&date=${MONTH}`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 403]) },
  { name: 'partner coupon report', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/coupon-report?month=${MONTH}`, own: row([200, 403, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'partner coupon deductions', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/coupon-deductions?from=${MONTH}&to=${MONTH}`, own: row([200, 403, 200, 200, 200, 200, 404, 404, 404]) },
  // Settlement (R37-R39): the partner's admins and viewers and the platform admin read a partner's own; a reseller never its
  // distributor's (404), a distributor not its reseller's lines; the resellers' totals and liability are its admin's view
  // (its operators and viewers do not read the reseller partners themselves: 404).
  { name: 'partner settlements', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/settlements`, own: row([200, 403, 200, 403, 200, 200, 404, 404, 404]) },
  { name: 'partner settlement of a month', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/settlements/${MONTH}`, own: row([200, 403, 200, 403, 200, 200, 404, 404, 404]) },
  { name: 'partner settlement csv', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/settlements/${MONTH}?format=csv`, own: row([200, 403, 200, 403, 200, 200, 404, 404, 404]) },
  { name: "the distributor's settlement", method: 'GET', path: (t) => `/v1/partners/${t.partner}/settlements/${MONTH}`, own: row([200, 403, 200, 403, 200, 404, 404, 404, 404]) },
  { name: 'partner liability', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/liability`, own: row([200, 403, 200, 403, 200, 200, 404, 404, 404]) },
  { name: "a reseller's liability", method: 'GET', path: (t) => `/v1/partners/${t.reseller}/liability`, own: row([200, 403, 200, 404, 404, 200, 404, 404, 404]) },
  { name: 'reseller totals', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/reseller-totals`, own: row([200, 403, 200, 403, 200, 403, 404, 404, 404]) },
  // Budgets (R5): the platform admin sets them; the partner reads its own.
  { name: 'read budgets', method: 'GET', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/budgets`, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  // Offline codes (R31): the issuing partner generates (once, approved requests only) and lists a
  // batch; an account's owner and finance user activate. The reseller's own request names accounts: 409.
  { name: 'generate activation codes', method: 'POST', path: (t, r) => `/v1/issuance-requests/${r === 'ra' ? t.reqR : codesOf(t).offline}/activation-codes`, setup: addCodeFixtures, own: row([403, 403, 201, 201, 403, 409, 404, 404, 404]) },
  { name: 'list an activation code batch', method: 'GET', path: (t, r) => `/v1/issuance-requests/${r === 'ra' ? t.reqR : codesOf(t).offline}/activation-codes`, setup: addCodeFixtures, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'activate a code', method: 'POST', path: (t, r) => `/v1/accounts/${accountOf(t, r)}/coupon-activations`, body: (t: Tree) => ({ code: codesOf(t).code }), setup: addCodeFixtures, own: row([403, 404, 403, 403, 403, 403, 200, 200, 403]) },
  // R36: budgets by id; the vendor grants (the BD only vendor-borne), a distributor allocates to its resellers.
  { name: 'read budget', method: 'GET', path: (t, r) => `/v1/budgets/${budgetOf(t, r)}`, setup: addBudgetFixtures, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'budget ledger', method: 'GET', path: (t, r) => `/v1/budgets/${budgetOf(t, r)}/ledger`, setup: addBudgetFixtures, own: row([200, 200, 200, 200, 200, 200, 404, 404, 404]) },
  { name: 'grant vendor-borne budget', method: 'POST', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/budgets`, body: { kind: 'vendor', currency: 'USD', amount: '100', reason: 'matrix' }, own: row([201, 201, 403, 403, 403, 403, 404, 404, 404]), because: { ra: /^a tier-2 reseller cannot issue vendor-borne coupons/ } },
  { name: 'grant partner-borne budget', method: 'POST', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/budgets`, body: { kind: 'partner', currency: 'USD', amount: '100', reason: 'matrix' }, own: row([201, 403, 403, 403, 403, 403, 404, 404, 404]) },
  { name: 'change budget', method: 'PATCH', path: (t, r) => `/v1/budgets/${budgetOf(t, r)}`, body: { amount: '150000', reason: 'matrix' }, setup: addBudgetFixtures, own: row([200, 403, 403, 403, 403, 403, 404, 404, 404]) },
  { name: 'set budget', method: 'PUT', path: (t, r) => `/v1/partners/${partnerOf(t, r)}/budgets/USD`, body: { amount: '100000' }, own: row([200, 403, 403, 403, 403, 403, 404, 404, 404]) },
  // Fault compensation (R33): a fault is seen through the affected accounts in scope; the account's payers and its partner's issuers claim.
  { name: 'read fault', method: 'GET', path: (t) => `/v1/faults/${t.fault}`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 200]) },
  { name: 'claim compensation', method: 'POST', path: (t) => `/v1/faults/${t.fault}/claims`, body: (t: Tree, r: RoleKey) => ({ accountId: accountOf(t, r) }), own: row([403, 404, 201, 201, 403, 201, 201, 201, 403]) },
  { name: 'account compensation claims', method: 'GET', path: (t, r) => `/v1/accounts/${accountOf(t, r)}/compensation-claims`, own: row([200, 404, 200, 200, 200, 200, 200, 200, 403]) },
  // Voucher quota pools (R32): the admin grants and reads; the partner's issuers make, share and reclaim; holders read the voucher.
  { name: 'read voucher pool', method: 'GET', path: (t) => `/v1/voucher-pools/${vouchersOf(t).pool}`, setup: addVoucherFixtures, own: row([200, 404, 200, 200, 200, 404, 404, 404, 404]) },
  { name: 'voucher pool ledger', method: 'GET', path: (t) => `/v1/voucher-pools/${vouchersOf(t).pool}/ledger`, setup: addVoucherFixtures, own: row([200, 404, 200, 200, 200, 404, 404, 404, 404]) },
  { name: 'make voucher', method: 'POST', path: (t) => `/v1/voucher-pools/${vouchersOf(t).pool}/vouchers`, body: { faceValue: '100' }, setup: addVoucherFixtures, own: row([403, 404, 201, 201, 403, 404, 404, 404, 404]) },
  { name: 'read voucher', method: 'GET', path: (t) => `/v1/vouchers/${vouchersOf(t).voucher}`, setup: addVoucherFixtures, own: row([200, 404, 200, 200, 200, 404, 200, 200, 404]) },
  { name: 'share voucher', method: 'POST', path: (t) => `/v1/vouchers/${vouchersOf(t).voucher}/holders`, body: (t: Tree) => ({ accountIds: [t.account2] }), setup: addVoucherFixtures, own: row([403, 404, 200, 200, 403, 404, 403, 403, 404]) },
  { name: 'reclaim voucher', method: 'POST', path: (t) => `/v1/vouchers/${vouchersOf(t).voucher}/reclaim`, setup: addVoucherFixtures, own: row([403, 404, 200, 200, 403, 404, 403, 403, 404]) },
];

describe('R1 R2 R3 isolation matrix: every object route x every role x own and other tenant', () => {
  before(ensureProducts);
  for (const c of CASES) {
    for (const r of ROLES) {
      it(`R1 R3: ${c.name} as ${r}: own scope -> ${c.own[r]}, other tenant -> ${r === 'admin' ? c.own[r] : 404}`, async () => {
        const w = await buildWorld(harness.ds);
        await c.setup?.(w);
        const token = actor(w, r).token;
        const body = (t: Tree) => (typeof c.body === 'function' ? c.body(t, r) : c.body);
        const tenants = [w.A.partner, w.B.partner];
        const send = async (t: Tree): Promise<Reply> => {
          const { result, written } = await tablesWrittenBy(harness.ds, () => call(c.method, c.path(t, r), { token, body: body(t) }), tenants);
          if (result.status >= 400) expect(written, `refused with ${result.status}, yet wrote`).to.deep.equal([]);
          return result;
        };
        const own = await send(w.A);
        expect(own.status, JSON.stringify(own.body)).to.equal(c.own[r]);
        const other = await send(w.B);
        // The platform admin is vendor staff: every tenant is in its scope.
        expect(other.status, JSON.stringify(other.body)).to.equal(r === 'admin' ? c.own[r] : 404);
        if (other.status === 404) expect(other.body.error.code).to.equal('not_found');
        if (own.status === 403) {
          expect(own.body.error.code).to.equal('forbidden');
          expect(own.body.error.message).to.match(c.because?.[r] ?? /^your role may not /);
        }
      });
    }
  }
});
