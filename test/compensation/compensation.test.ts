import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type Person, type World } from '../support/world';
import { ensureProducts, ledgerMismatches } from '../support/coupons-world';
import { costBasisWindow } from '../../src/compensation/compensation-rules';
import { first } from '../../src/db/rows';

const DAY = 86_400_000;
const MIN = 60_000;

describe('R33 fault compensation: faults, claims, the vendor-borne coupon', () => {
  let w: World;
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  interface FaultSpec {
    accountIds: string[];
    kind?: string;
    cause?: string;
    start?: Date;
    minutes?: number;
    productCode?: string;
  }
  const faultBody = (f: FaultSpec) => {
    const start = f.start ?? new Date(Date.now() - 2 * 3_600_000);
    return {
      productCode: f.productCode ?? 'cvm', kind: f.kind ?? 'unavailability', cause: f.cause ?? 'platform',
      start: start.toISOString(), end: new Date(start.getTime() + (f.minutes ?? 90) * MIN).toISOString(), accountIds: f.accountIds,
    };
  };
  const recordFault = async (f: FaultSpec) => {
    const res = await as(w.admin.token).post('/v1/admin/faults', faultBody(f));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string; start: string };
  };
  /** A pay-as-you-go bill of `amount` for [from + dayOffset days, + hours), each under a billing cycle of its own. */
  const bill = async (accountId: string, faultStart: Date, dayOffset: number, amount: number, o: { hours?: number; at?: number; productCode?: string } = {}) => {
    const start = new Date(costBasisWindow(faultStart).from.getTime() + dayOffset * DAY + (o.at ?? 0) * 3_600_000);
    await harness.ds.query(
      `WITH c AS (
         INSERT INTO billing_cycles (period, period_start, period_end)
         SELECT 'hourly', s, s + interval '1 hour' FROM (SELECT timestamptz '1972-01-01' + (random() * 3e10)::bigint * interval '1 millisecond' AS s) x
         RETURNING id)
       INSERT INTO bills (tenant_id, account_id, partner_id, cycle_id, product_code, currency, period_start, period_end, amount, cash_due, due_at)
       SELECT a.tenant_id, a.id, a.partner_id, c.id, $2, 'USD', $3, $4, $5, $5, $4 FROM accounts a, c WHERE a.id = $1`,
      [accountId, o.productCode ?? 'cvm', start, new Date(start.getTime() + (o.hours ?? 24) * 3_600_000), amount],
    );
  };
  const claim = (faultId: string, accountId: string, by: Person = w.A.af) => as(by.token).post(`/v1/faults/${faultId}/claims`, { accountId });
  const compensationCoupons = async (accountId: string) =>
    (await harness.ds.query(`SELECT id FROM coupons WHERE account_id = $1 AND origin = 'compensation'`, [accountId])).map((r: { id: string }) => r.id);

  it('R33 R3: only a platform admin records a fault; it ends after it starts and is over; every affected account must exist', async () => {
    const good = faultBody({ accountIds: [w.A.account, w.B.account] });
    expect((await as(w.A.pa.token).post('/v1/admin/faults', good)).status).to.equal(403);
    const backwards = await as(w.admin.token).post('/v1/admin/faults', { ...good, end: good.start });
    expect(backwards.status).to.equal(400);
    expect(backwards.body.error.details.map((d: { field: string }) => d.field)).to.include('body.end');
    const future = await as(w.admin.token).post('/v1/admin/faults', { ...good, end: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.status).to.equal(400);
    expect(future.body.error.details[0]).to.deep.include({ field: 'body.end', code: 'in_future' });
    const ghost = randomUUID();
    const unknown = await as(w.admin.token).post('/v1/admin/faults', { ...good, accountIds: [w.A.account, ghost] });
    expect(unknown.status).to.equal(422);
    expect(unknown.body.error).to.deep.include({ code: 'unknown_accounts', details: { accountIds: [ghost] } });
    expect((await as(w.admin.token).post('/v1/admin/faults', { ...good, productCode: 'no-such-product' })).status).to.equal(422);

    const res = await as(w.admin.token).post('/v1/admin/faults', { ...good, accountIds: [w.A.account, w.B.account, w.A.account] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.deep.include({ productCode: 'cvm', kind: 'unavailability', cause: 'platform', multiple: 100, compensable: true, exclusionReason: null });
    expect(res.body.accountIds).to.have.members([w.A.account, w.B.account]).and.have.length(2);
    expect(Date.parse(res.body.claimWindowEndsAt) - Date.parse(res.body.end)).to.equal(7 * DAY);
    const [audit] = await harness.ds.query(`SELECT action, actor_user_id FROM audit_events WHERE object_type = 'fault' AND object_id = $1`, [res.body.id]);
    expect(audit).to.deep.equal({ action: 'recorded', actor_user_id: w.admin.id });
    const excluded = await as(w.admin.token).post('/v1/admin/faults', { ...good, cause: 'notified_maintenance' });
    expect(excluded.body).to.deep.include({ compensable: false });
    expect(excluded.body.exclusionReason).to.match(/notified in advance/);
  });

  it('R1 R33: a fault is seen only through one\'s own affected accounts; the admin sees all of them', async () => {
    const f = await recordFault({ accountIds: [w.A.account, w.A.resellerCustomer, w.B.account] });
    const accountsSeen = async (p: Person) => {
      const res = await as(p.token).get(`/v1/faults/${f.id}`);
      return res.status === 200 ? res.body.accountIds : res.status;
    };
    expect(await accountsSeen(w.admin)).to.have.members([w.A.account, w.A.resellerCustomer, w.B.account]);
    expect(await accountsSeen(w.A.pa)).to.deep.equal([w.A.account]);
    expect(await accountsSeen(w.A.ra)).to.deep.equal([w.A.resellerCustomer]);
    expect(await accountsSeen(w.A.am)).to.deep.equal([w.A.account]);
    expect(await accountsSeen(w.B.af)).to.deep.equal([w.B.account]);
    expect(await accountsSeen(w.bd)).to.equal(404);
    const onlyB = await recordFault({ accountIds: [w.B.account2] });
    expect(await accountsSeen(w.A.pa)).to.deep.equal([w.A.account]);
    expect((await as(w.A.pa.token).get(`/v1/faults/${onlyB.id}`)).status).to.equal(404);

    const listed = async (p: Person, q = '') => (await as(p.token).get(`/v1/faults?limit=200${q}`)).body.items.map((i: { id: string }) => i.id);
    expect(await listed(w.A.pa)).to.include.members([f.id, w.A.fault]).and.not.include.members([onlyB.id, w.B.fault]);
    expect(await listed(w.A.pa, `&accountId=${w.B.account2}`)).to.deep.equal([]);
    expect(await listed(w.B.pa, `&accountId=${w.B.account2}`)).to.have.members([onlyB.id, w.B.fault]); // the world's fault affected it too
    expect(await listed(w.admin)).to.include.members([f.id, onlyB.id, w.A.fault, w.B.fault]);
    // R3: a BD may read no fault at all: the list is refused with the reason, like any forbidden action.
    expect((await as(w.bd.token).get('/v1/faults')).status).to.equal(403);
  });

  it('R33: a granted claim is a vendor-borne coupon for the product (prepaid and pay-as-you-go, 90 days), in the wallet with its issue ledger row, and it pays at checkout', async () => {
    const start = new Date(Date.now() - 2 * 3_600_000);
    // Basis: 7 full UTC days before the fault's day. Two days carry cvm bills: 10000, and 4000 + 2000 (hourly).
    await bill(w.A.account, start, 1, 10000);
    await bill(w.A.account, start, 3, 4000);
    await bill(w.A.account, start, 3, 2000, { hours: 1, at: 5 });
    await bill(w.A.account, start, 2, 99999, { productCode: 'mysql' }); // another product
    await bill(w.A.account, start, -1, 99999); // before the basis
    await bill(w.A.account, start, 7, 99999, { hours: 1 }); // the fault's own day
    const f = await recordFault({ accountIds: [w.A.account], start, minutes: 90 });

    const res = await claim(f.id, w.A.account);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    // daily cost 16000 / 2 = 8000; 8000 / 24 / 60 x 90 x 100 = 50000
    expect(res.body).to.deep.include({ faultId: f.id, accountId: w.A.account, status: 'granted', amount: '50000', currency: 'USD', refusal: null, claimedBy: w.A.af.id });
    expect(res.body.terms).to.deep.include({ kind: 'unavailability', cause: 'platform', multiple: '100', faultMinutes: '90' });
    expect(res.body.terms.costBasis).to.deep.include({ currency: 'USD', billedTotal: '16000', billedDays: 2 });

    const coupon = await as(w.A.af.token).get(`/v1/coupons/${res.body.couponId}`);
    expect(coupon.status).to.equal(200);
    expect(coupon.body).to.deep.include({
      accountId: w.A.account, partnerId: w.A.partner, origin: 'compensation', templateId: null, requestId: null, currency: 'USD',
      faceValue: '50000', balance: '50000', status: 'unused', costBearer: 'vendor', usage: 'reusable',
    });
    expect(coupon.body.scope).to.deep.equal({
      productCodes: ['cvm'], billingModes: ['prepaid', 'payg'], scenarios: ['purchase', 'renewal', 'upgrade', 'os_change', 'trial_conversion'],
      minSpend: null, maxDurationMonths: null, allowPromotional: false,
    });
    expect(Date.parse(coupon.body.validUntil) - Date.parse(coupon.body.validFrom)).to.equal(90 * DAY);
    expect(coupon.body.rules).to.deep.include({ source: 'fault_compensation', faultId: f.id, claimId: res.body.id });
    const wallet = await as(w.A.pa.token).get(`/v1/coupons?accountId=${w.A.account}`);
    expect(wallet.body.items.map((c: { id: string }) => c.id)).to.include(res.body.couponId);
    const ledger = await as(w.A.af.token).get(`/v1/coupons/${res.body.couponId}/ledger`);
    expect(ledger.body.items.map((l: { type: string; amount: string; balanceAfter: string }) => [l.type, l.amount, l.balanceAfter])).to.deep.equal([['issue', '50000', '50000']]);
    const audit = await harness.ds.query(
      `SELECT object_type, action, to_status FROM audit_events WHERE object_id = ANY($1::uuid[]) ORDER BY object_type`, [[res.body.couponId, res.body.id]]);
    expect(audit).to.deep.equal([
      { object_type: 'compensation_claim', action: 'claimed', to_status: 'granted' },
      { object_type: 'coupon', action: 'issued', to_status: 'unused' },
    ]);
    const claims = await as(w.A.pa.token).get(`/v1/accounts/${w.A.account}/compensation-claims`);
    expect(claims.body.items).to.deep.equal([res.body]);

    const order = await call('POST', '/v1/orders', {
      token: w.A.af.token, headers: { 'idempotency-key': randomUUID() },
      body: { currency: 'USD', scenario: 'renewal', items: [{ productCode: 'cvm', amount: '30000' }, { productCode: 'mysql', amount: '5000' }], coupon: res.body.couponId },
    });
    expect(order.status, JSON.stringify(order.body)).to.equal(201);
    expect(order.body).to.deep.include({ total: '35000', couponId: res.body.couponId, couponDeduction: '30000', cash: '5000' });
    const [left] = await harness.ds.query(`SELECT balance::text, status FROM coupons WHERE id = $1`, [res.body.couponId]);
    expect(left).to.deep.equal({ balance: '20000', status: 'unused' });
    expect(await ledgerMismatches([res.body.couponId])).to.deep.equal([]);
  });

  it('R33: multiple 2 for a provisioning delay or a billing error, 100 for unavailability, each rounded half up to the minor unit', async () => {
    const start = new Date(Date.now() - 3 * 3_600_000);
    await bill(w.A.account, start, 4, 8000);
    await bill(w.A.account2, start, 6, 3); // a 0.03/day service
    const delay = await recordFault({ accountIds: [w.A.account], kind: 'provisioning_delay', start, minutes: 90 });
    const billing = await recordFault({ accountIds: [w.A.account], kind: 'billing_error', start, minutes: 91 });
    const outage = await recordFault({ accountIds: [w.A.account2], kind: 'unavailability', start, minutes: 12 });
    expect((await claim(delay.id, w.A.account)).body).to.deep.include({ status: 'granted', amount: '1000' }); // 8000 x 90 x 2 / 1440
    expect((await claim(billing.id, w.A.account, w.A.po)).body).to.deep.include({ status: 'granted', amount: '1011' }); // 1011.1
    expect((await claim(outage.id, w.A.account2, w.A.pa)).body).to.deep.include({ status: 'granted', amount: '3' }); // 3 x 12 x 100 / 1440 = 2.5
  });

  it('R33 R34: a claim within 7 x 24 h of the fault\'s end is granted; after it, refused with the reason and kept', async () => {
    const endedJustInside = new Date(Date.now() - 7 * DAY + MIN - 90 * MIN);
    const endedJustOutside = new Date(Date.now() - 7 * DAY - MIN - 90 * MIN);
    await bill(w.A.account, endedJustInside, 0, 1440); // the refusal for lateness comes before any cost is looked at
    const inside = await recordFault({ accountIds: [w.A.account], start: endedJustInside, minutes: 90 });
    const outside = await recordFault({ accountIds: [w.A.account], start: endedJustOutside, minutes: 90 });
    expect((await claim(inside.id, w.A.account)).body).to.deep.include({ status: 'granted', amount: '9000' });
    const late = await claim(outside.id, w.A.account);
    expect(late.status).to.equal(201);
    expect(late.body).to.deep.include({ status: 'refused', amount: null, couponId: null });
    expect(late.body.refusal.code).to.equal('claim_window_closed');
    expect(late.body.refusal.reason).to.match(/within 7 days of the fault's end/);
    expect(await compensationCoupons(w.A.account)).to.have.length(1);
  });

  it('R33: a fault of an excluded cause is refused with the reason, and a claim with nothing billed before the fault is refused too; neither gets a coupon', async () => {
    const start = new Date(Date.now() - 5 * 3_600_000);
    await bill(w.A.account, start, 2, 100000);
    for (const cause of ['force_majeure', 'notified_maintenance', 'carrier', 'backbone', 'customer']) {
      const f = await recordFault({ accountIds: [w.A.account], cause, start });
      const res = await claim(f.id, w.A.account);
      expect(res.body, cause).to.deep.include({ status: 'refused', amount: null, couponId: null });
      expect(res.body.refusal.code).to.equal('excluded_cause');
      expect(res.body.refusal.reason).to.match(/excluded from compensation/);
    }
    const unbilled = await recordFault({ accountIds: [w.A.account2], start });
    expect((await claim(unbilled.id, w.A.account2, w.A.pa)).body.refusal.code).to.equal('no_billed_cost');
    expect(await compensationCoupons(w.A.account)).to.deep.equal([]);
    expect(await compensationCoupons(w.A.account2)).to.deep.equal([]);
    const stored = await as(w.A.af.token).get(`/v1/accounts/${w.A.account}/compensation-claims?status=refused`);
    expect(stored.body.items).to.have.length(5);
  });

  it('R33: one claim per account and fault: a second is 409 naming the first; claims at the same moment give exactly one coupon', async () => {
    const start = new Date(Date.now() - 2 * 3_600_000);
    await bill(w.A.account, start, 5, 2880);
    const f = await recordFault({ accountIds: [w.A.account], start, minutes: 30 });
    const racers = [w.A.af, w.A.ao, w.A.pa, w.A.po, w.A.af, w.A.pa];
    const results = await Promise.all(racers.map((p) => claim(f.id, w.A.account, p)));
    const won = results.filter((r) => r.status === 201);
    expect(won, JSON.stringify(results.map((r) => r.body))).to.have.length(1);
    const winner = first(won);
    expect(winner.body).to.deep.include({ status: 'granted', amount: '6000' }); // 2880 x 30 x 100 / 1440
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).to.equal(409);
      expect(r.body.error.code).to.equal('already_claimed');
      expect(r.body.error.details.claim).to.deep.include({ id: winner.body.id, status: 'granted', couponId: winner.body.couponId });
    }
    expect(await compensationCoupons(w.A.account)).to.deep.equal([winner.body.couponId]);
    const again = await claim(f.id, w.A.account);
    expect(again.status).to.equal(409);
    expect(again.body.error.details.claim.id).to.equal(winner.body.id);
    const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM compensation_claims WHERE fault_id = $1`, [f.id]);
    expect(n.n).to.equal(1);
  });

  it('R33 R1 R3 R6: a fault that did not affect the account is 404 for it; a member may not claim; a reseller\'s own account gets no vendor-borne coupon; a deactivated account none', async () => {
    const f = await recordFault({ accountIds: [w.A.account] });
    const notAffected = await claim(f.id, w.A.account2, w.A.pa);
    expect(notAffected.status).to.equal(404);
    expect(notAffected.body.error.code).to.equal('not_found');
    expect((await claim(randomUUID(), w.A.account)).status).to.equal(404);
    expect((await claim(f.id, w.A.account, w.A.am)).status).to.equal(403);
    expect((await claim(f.id, w.A.account, w.A.pv)).status).to.equal(403);
    expect((await claim(f.id, w.A.account, w.B.pa)).status).to.equal(404);
    const reseller = await claim(w.A.fault, w.A.resellerAccount, w.A.pa);
    expect(reseller.status).to.equal(403);
    expect(reseller.body.error.message).to.match(/tier-2 reseller/);
    await harness.ds.query(`UPDATE accounts SET status = 'deactivated' WHERE id = $1`, [w.A.account2]);
    const gone = await claim(w.A.fault, w.A.account2, w.A.pa);
    expect(gone.status).to.equal(409);
    expect(gone.body.error.code).to.equal('account_deactivated');
    const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM compensation_claims WHERE account_id = ANY($1::uuid[])`, [[w.A.account2, w.A.resellerAccount]]);
    expect(n.n).to.equal(0);
  });
});
