import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { tablesWrittenBy } from '../support/db-fingerprint';
import { buildWorld, type Person, type World } from '../support/world';
import { bulkAccounts, ensureProducts, insertCoupon, issuedRequest, ledgerMismatches } from '../support/coupons-world';
import { addCodeFixtures, codesOf } from '../support/codes-world';
import { addVoucherFixtures, vouchersOf } from '../support/vouchers-world';
import { couponChange, ledgerRows } from '../../src/coupons/ledger.sql';
import { EXPIRE_SQL } from '../../src/coupons/expire-sweep.job';
import { createApp } from '../../src/app';
import { ownDatabase } from '../support/own-database';
import { nth } from '../../src/db/rows';

const DAY = 86_400_000;
const REASON = 'issued to the wrong customer';

/** A money move done the way the paths do it (tests only): balance and ledger row in one statement. */
async function moveMoney(couponId: string, type: 'deduct' | 'expire', amount: number, status: string, ds = harness.ds): Promise<void> {
  await ds.query(
    `WITH c AS (${couponChange({ balance: 'c.balance - $2', status: `'${status}'`, where: 'c.id = $1', returning: 'c.tenant_id, c.id, c.account_id, c.balance' })})
     ${ledgerRows({ type, from: 'c', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: '-$2::bigint', after: 'balance' })}`,
    [couponId, amount],
  );
}

describe('R35 void: one coupon, a list, every open coupon of a request', () => {
  let w: World;
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const coupon = (over: Parameters<typeof insertCoupon>[2] = {}) => insertCoupon(w.A.couponD, w.A.account, over);
  const voidOne = (id: string, by: Person = w.A.pa, reason = REASON) => call('POST', `/v1/coupons/${id}/void`, { token: by.token, body: { reason } });
  const voidList = (couponIds: string[], by: Person = w.A.pa) => call('POST', '/v1/coupons/void', { token: by.token, body: { couponIds, reason: REASON } });
  const voidRequest = (id: string, by: Person = w.A.pa) => call('POST', `/v1/issuance-requests/${id}/void`, { token: by.token, body: { reason: REASON } });
  const pay = (coupon: string, amount: string, by: Person = w.A.af) =>
    call('POST', '/v1/orders', {
      token: by.token,
      body: { currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount }], coupon },
      headers: { 'idempotency-key': randomUUID() },
    });
  const ledger = (id: string): Promise<{ type: string; amount: string; balance_after: string }[]> =>
    harness.ds.query(`SELECT type, amount::text, balance_after::text FROM coupon_ledger WHERE coupon_id = $1 ORDER BY id`, [id]);
  const row = async (id: string) =>
    (await harness.ds.query(`SELECT status, balance::text, revoked_reason, revoked_at IS NOT NULL AS dated FROM coupons WHERE id = $1`, [id]))[0];
  const refusedWritingNothing = async (act: () => ReturnType<typeof call>, status: number, code: string) => {
    const { result, written } = await tablesWrittenBy(harness.ds, act, [w.A.partner, w.B.partner]);
    expect(result.status, JSON.stringify(result.body)).to.equal(status);
    expect(result.body.error.code).to.equal(code);
    expect(written, 'tables written').to.deep.equal([]);
    return result;
  };

  it('R35 R25 R26 R11 R12: a void revokes an unused coupon: what it had left leaves with one revoke row, the used part stays used, the audit row says who, from, to and why', async () => {
    const request = await issuedRequest(w.A.couponD, [w.A.account, w.A.account2]);
    const [{ id }] = await harness.ds.query(`SELECT id FROM coupons WHERE request_id = $1 AND account_id = $2`, [request, w.A.account]);
    expect((await pay(id, '2000')).status).to.equal(201);

    const res = await voidOne(id);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ id, status: 'revoked', balance: '0', faceValue: '5000', revokedReason: REASON });
    expect(Date.parse(res.body.revokedAt)).to.be.closeTo(Date.now(), 60_000);
    expect(await ledger(id)).to.deep.equal([
      { type: 'issue', amount: '5000', balance_after: '5000' },
      { type: 'deduct', amount: '-2000', balance_after: '3000' },
      { type: 'revoke', amount: '-3000', balance_after: '0' },
    ]);
    expect(await ledgerMismatches([id])).to.deep.equal([]);
    const audit = await harness.ds.query(
      `SELECT action, from_status, to_status, reason, actor_user_id, actor_kind FROM audit_events WHERE object_type = 'coupon' AND object_id = $1 AND to_status = 'revoked'`,
      [id],
    );
    expect(audit).to.deep.equal([{ action: 'voided', from_status: 'unused', to_status: 'revoked', reason: REASON, actor_user_id: w.A.pa.id, actor_kind: 'user' }]);

    // The account's users see it revoked, with the reason, in the coupon, the wallet and the history.
    const seen = await call('GET', `/v1/coupons/${id}`, { token: w.A.af.token });
    expect(seen.body).to.deep.include({ status: 'revoked', revokedReason: REASON, revokedAt: res.body.revokedAt });
    const wallet = await call('GET', `/v1/coupons?accountId=${w.A.account}&status=revoked`, { token: w.A.ao.token });
    expect(wallet.body.items.map((c: { id: string; revokedReason: string }) => [c.id, c.revokedReason])).to.deep.equal([[id, REASON]]);
    const history = await call('GET', `/v1/coupons/${id}/history`, { token: w.A.ao.token });
    expect(history.body.items.at(-1)).to.deep.include({ action: 'voided', from: 'unused', to: 'revoked', reason: REASON, actorUserId: w.A.pa.id });

    // The partner's request view: revoked with when and why; used 2000, nothing left.
    const items = await call('GET', `/v1/issuance-requests/${request}/items`, { token: w.A.pv.token });
    const item = items.body.items.find((i: { accountId: string }) => i.accountId === w.A.account);
    expect(item.coupon).to.deep.equal({ id, status: 'revoked', faceValue: '5000', used: '2000', balance: '0', revokedAt: res.body.revokedAt, revokedReason: REASON });
    const other = items.body.items.find((i: { accountId: string }) => i.accountId === w.A.account2);
    expect(other.coupon).to.deep.include({ status: 'unused', used: '0', balance: '5000', revokedAt: null, revokedReason: null });
  });

  it('R35 R27: a 5-day refund of an order a voided coupon paid gives the deduction back and takes it off again by a revoke row: the coupon stays revoked, with its reason', async () => {
    const id = await coupon();
    const order = await pay(id, '2000');
    expect((await voidOne(id)).status).to.equal(200);
    const refund = await call('POST', `/v1/orders/${order.body.id}/refund`, { token: w.A.af.token, body: { reason: 'unsubscribed' } });
    expect(refund.status, JSON.stringify(refund.body)).to.equal(201);
    expect(await ledger(id)).to.deep.equal([
      { type: 'issue', amount: '5000', balance_after: '5000' },
      { type: 'deduct', amount: '-2000', balance_after: '3000' },
      { type: 'revoke', amount: '-3000', balance_after: '0' },
      { type: 'return', amount: '2000', balance_after: '2000' },
      { type: 'revoke', amount: '-2000', balance_after: '0' },
    ]);
    expect(await row(id)).to.deep.equal({ status: 'revoked', balance: '0', revoked_reason: REASON, dated: true });
  });

  it('R35: voiding twice answers 200 with the coupon unchanged: one revoke row, one audit row, the first reason kept', async () => {
    const id = await coupon();
    const first = await voidOne(id);
    const again = await voidOne(id, w.A.po, 'a second reason');
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.body).to.deep.equal(first.body);
    expect((await ledger(id)).map((l) => l.type)).to.deep.equal(['issue', 'revoke']);
    const [{ n }] = await harness.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE object_id = $1 AND action = 'voided'`, [id]);
    expect(n).to.equal(1);
  });

  it('R35 R14: a used coupon, an expired one and one whose window closed before the sweep are 409 coupon_not_voidable, and nothing is written', async () => {
    const used = await coupon();
    expect((await pay(used, '5000')).status).to.equal(201);
    expect((await row(used)).status).to.equal('used');
    const closed = await coupon({ validFrom: new Date(Date.now() - 2 * DAY), validUntil: new Date(Date.now() - 60_000) });
    const refused = await refusedWritingNothing(() => voidOne(closed), 409, 'coupon_not_voidable');
    expect(refused.body.error.details).to.deep.equal({ coupons: [{ id: closed, status: 'expired' }] });
    await harness.ds.query(EXPIRE_SQL, [5000]);
    expect((await row(closed)).status).to.equal('expired');
    for (const id of [used, closed]) {
      const res = await refusedWritingNothing(() => voidOne(id), 409, 'coupon_not_voidable');
      expect(res.body.error.details.coupons[0].id).to.equal(id);
    }
    expect((await ledger(used)).map((l) => l.type)).to.deep.equal(['issue', 'deduct']);
  });

  it('R35 R31: a code never activated is revoked with no ledger row (it holds nothing yet); activating it then is 410 code_revoked', async () => {
    await addCodeFixtures(w);
    const { codeCoupon, code } = codesOf(w.A);
    const res = await voidOne(codeCoupon);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ status: 'revoked', balance: '0', revokedReason: REASON });
    expect(await ledger(codeCoupon)).to.deep.equal([]);
    const activate = await call('POST', `/v1/accounts/${w.A.account}/coupon-activations`, { token: w.A.ao.token, body: { code } });
    expect(activate.status, JSON.stringify(activate.body)).to.equal(410);
    expect(activate.body.error.code).to.equal('code_revoked');
  });

  it('R35 R3 R32 R33: a voucher and a compensation coupon are not voided: 403 with the reason, and nothing is written', async () => {
    await addVoucherFixtures(w);
    const voucher = await refusedWritingNothing(() => voidOne(vouchersOf(w.A).voucher), 403, 'forbidden');
    expect(voucher.body.error.message).to.equal('a voucher is not voided: reclaim it into its pool');
    const grant = randomUUID();
    await harness.ds.query(
      `INSERT INTO coupons (tenant_id, id, account_id, partner_id, origin, currency, face_value, balance, status, cost_bearer, usage,
                            valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
       VALUES ($1, $2, $3, $1, 'compensation', 'USD', 700, 700, 'unused', 'vendor', 'reusable', now(), now() + interval '90 days',
               '{cvm}', '{prepaid,payg}', '{purchase}', false, '{}')`,
      [w.A.partner, grant, w.A.account],
    );
    await harness.ds.query(ledgerRows({ type: 'issue', tenant: '$1', coupon: '$2', account: '$3', amount: '700', after: '700' }), [w.A.partner, grant, w.A.account]);
    const compensation = await refusedWritingNothing(() => voidOne(grant), 403, 'forbidden');
    expect(compensation.body.error.message).to.equal("a compensation coupon is the vendor's grant: its partner cannot void it");
    const mine = await coupon();
    const inList = await refusedWritingNothing(() => voidList([mine, grant]), 403, 'forbidden');
    expect(inList.body.error.details).to.deep.equal({ couponIds: [grant] });
  });

  it('R35 R1: a list voids all or nothing: an id not yours or not there is 404 naming it, a used one 409, neither writes; then the list voids, counting revoked ones as they are', async () => {
    const [a, b, c] = [await coupon(), await coupon({ balance: 1200 }), await coupon()];
    const missing = randomUUID();
    const unknown = await refusedWritingNothing(() => voidList([a, w.B.couponD, b, missing]), 404, 'not_found');
    expect(unknown.body.error.details.couponIds).to.have.members([w.B.couponD, missing]);
    expect((await pay(c, '5000')).status).to.equal(201);
    const used = await refusedWritingNothing(() => voidList([a, c]), 409, 'coupon_not_voidable');
    expect(used.body.error.details).to.deep.equal({ coupons: [{ id: c, status: 'used' }] });

    expect((await voidOne(a)).status).to.equal(200);
    const res = await voidList([a, b, b]);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal({ voided: 1, alreadyRevoked: 1, notOpen: 0, writtenOff: [{ currency: 'USD', amount: '1200' }] });
    for (const id of [a, b]) expect((await ledger(id)).map((l) => l.type)).to.deep.equal(['issue', 'revoke']);
    expect(await row(b)).to.deep.equal({ status: 'revoked', balance: '0', revoked_reason: REASON, dated: true });
  });

  it('R35: a reason is required (not blank, at most 1,000 characters) and a list names 1 to 1,000 coupons: otherwise 400, and nothing is written', async () => {
    const id = await coupon();
    const bad: [() => ReturnType<typeof call>, string][] = [
      [() => call('POST', `/v1/coupons/${id}/void`, { token: w.A.pa.token, body: {} }), 'body.reason'],
      [() => voidOne(id, w.A.pa, '   '), 'body.reason'],
      [() => voidOne(id, w.A.pa, 'x'.repeat(1001)), 'body.reason'],
      [() => voidList([]), 'body.couponIds'],
      [() => voidList(Array.from({ length: 1001 }, () => randomUUID())), 'body.couponIds'],
      [() => call('POST', `/v1/issuance-requests/${w.A.issuedD}/void`, { token: w.A.pa.token, body: { reason: '' } }), 'body.reason'],
    ];
    for (const [act, field] of bad) {
      const res = await refusedWritingNothing(act, 400, 'validation_failed');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).to.include(field);
    }
    expect((await row(id)).status).to.equal('unused');
  });

  it('R35 R9: a request not issued yet is 409 request_not_issued, and nothing is written', async () => {
    const res = await refusedWritingNothing(() => voidRequest(w.A.reqD), 409, 'request_not_issued');
    expect(res.body.error.details).to.deep.equal({ status: 'pending_approval' });
  });

  it('R35 R11 R25 R26: every open coupon of a 10,000-coupon request is voided in one call; used and expired ones stay; a second call changes nothing', async () => {
    // A database and a server of the test's own: its 50,000 fixture rows stay out of the shared
    // database, whose whole-database fingerprints (the fuzz, bad input) they would slow down.
    const own = await ownDatabase();
    const server = createApp({ ds: own.ds, redis: harness.redis }).listen(0, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ow = await buildWorld(own.ds);
      const accounts = await bulkAccounts(ow.A.partner, ow.A.partner, 10_000, own.ds);
      const request = await issuedRequest(ow.A.couponD, accounts, 5000, own.ds);
      const coupons: { id: string }[] = await own.ds.query(`SELECT id FROM coupons WHERE request_id = $1 ORDER BY id`, [request]);
      expect(coupons).to.have.length(10_000);
      const [partly, used, expired] = [nth(coupons, 0).id, nth(coupons, 1).id, nth(coupons, 2).id];
      await moveMoney(partly, 'deduct', 1000, 'unused', own.ds);
      await moveMoney(used, 'deduct', 5000, 'used', own.ds);
      await moveMoney(expired, 'expire', 5000, 'expired', own.ds);
      const voidAll = (by: Person) => call('POST', `/v1/issuance-requests/${request}/void`, { token: by.token, body: { reason: REASON }, baseUrl });

      const res = await voidAll(ow.A.po);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      // 9,997 untouched coupons (5000 each) and the one partly used (4000 left).
      expect(res.body).to.deep.equal({ voided: 9998, alreadyRevoked: 0, notOpen: 2, writtenOff: [{ currency: 'USD', amount: String(9997 * 5000 + 4000) }] });
      const [facts] = await own.ds.query(
        `SELECT count(*) FILTER (WHERE c.status = 'revoked' AND c.balance = 0 AND c.revoked_reason = $2)::int AS revoked,
                (SELECT count(*)::int FROM coupon_ledger l JOIN coupons x ON x.tenant_id = l.tenant_id AND x.id = l.coupon_id
                  WHERE x.request_id = $1 AND l.type = 'revoke') AS revoke_rows,
                (SELECT sum(l.amount)::text FROM coupon_ledger l JOIN coupons x ON x.tenant_id = l.tenant_id AND x.id = l.coupon_id
                  WHERE x.request_id = $1 AND l.type = 'revoke') AS revoked_amount,
                (SELECT count(*)::int FROM audit_events e JOIN coupons x ON x.id = e.object_id
                  WHERE x.request_id = $1 AND e.action = 'voided' AND e.reason = $2 AND e.actor_user_id = $3) AS audit_rows
           FROM coupons c WHERE c.request_id = $1`,
        [request, REASON, ow.A.po.id],
      );
      expect(facts).to.deep.equal({ revoked: 9998, revoke_rows: 9998, revoked_amount: String(-(9997 * 5000 + 4000)), audit_rows: 9998 });
      expect(await ledgerMismatches(coupons.map((c) => c.id), own.ds)).to.deep.equal([]);
      const statuses = await own.ds.query(`SELECT id, status FROM coupons WHERE id = ANY($1::uuid[]) ORDER BY status`, [[used, expired]]);
      expect(statuses).to.deep.equal([{ id: expired, status: 'expired' }, { id: used, status: 'used' }]);
      const requestAudit = await own.ds.query(`SELECT action, reason FROM audit_events WHERE object_type = 'issuance_request' AND object_id = $1`, [request]);
      expect(requestAudit).to.deep.equal([{ action: 'coupons_voided', reason: `9998 coupons voided: ${REASON}` }]);

      const again = await voidAll(ow.A.pa);
      expect(again.body).to.deep.equal({ voided: 0, alreadyRevoked: 9998, notOpen: 2, writtenOff: [] });
      const [{ n }] = await own.ds.query(
        `SELECT count(*)::int AS n FROM coupon_ledger l JOIN coupons x ON x.tenant_id = l.tenant_id AND x.id = l.coupon_id WHERE x.request_id = $1`,
        [request],
      );
      expect(n, 'ledger rows: 10,000 issue, 2 deduct, 1 expire, 9,998 revoke').to.equal(10_000 + 3 + 9998);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await own.drop();
    }
  });

  it('R35 R21 R26: a payment and a void racing on one coupon, 50 rounds: paid then revoked (the revoke row takes what was left) or revoked first (the payment refused, or paid without it); balance = ledger, never negative', async () => {
    const outcomes: Record<string, number> = {};
    for (let round = 0; round < 50; round++) {
      const id = await coupon();
      // Half the rounds name the coupon (refused once it is revoked), half let checkout pick the best one.
      const choice = round % 2 === 0 ? id : 'best';
      const [paid, voided] = await Promise.all([pay(choice, '2000'), voidOne(id)]);
      expect(voided.status, JSON.stringify(voided.body)).to.equal(200);
      expect(voided.body).to.deep.include({ status: 'revoked', balance: '0', revokedReason: REASON });
      const rows = await ledger(id);
      let outcome: string;
      if (paid.status === 201 && paid.body.couponId === id) {
        outcome = 'paid, then revoked';
        expect(paid.body).to.deep.include({ couponDeduction: '2000', cash: '0' });
        expect(rows).to.deep.equal([
          { type: 'issue', amount: '5000', balance_after: '5000' },
          { type: 'deduct', amount: '-2000', balance_after: '3000' },
          { type: 'revoke', amount: '-3000', balance_after: '0' },
        ]);
      } else {
        expect(rows).to.deep.equal([
          { type: 'issue', amount: '5000', balance_after: '5000' },
          { type: 'revoke', amount: '-5000', balance_after: '0' },
        ]);
        if (choice === id) {
          outcome = 'revoked, payment refused';
          expect(paid.status, JSON.stringify(paid.body)).to.equal(409);
          expect(paid.body.error).to.deep.include({ code: 'coupon_not_applicable', details: { couponId: id, code: 'not_usable' } });
        } else {
          outcome = 'revoked, paid without it';
          expect(paid.status, JSON.stringify(paid.body)).to.equal(201);
          expect(paid.body).to.deep.include({ couponId: null, couponDeduction: '0', cash: '2000' });
        }
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      expect(await ledgerMismatches([id])).to.deep.equal([]);
    }
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).to.equal(50);
    const [{ negative }] = await harness.ds.query(
      `SELECT count(*)::int AS negative FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
        WHERE c.tenant_id = $1 AND (l.balance_after < 0 OR c.balance < 0)`,
      [w.A.partner],
    );
    expect(negative).to.equal(0);
  });
});
