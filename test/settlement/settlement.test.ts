import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Job } from 'bullmq';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { startInProcessWorkers } from '../support/jobs';
import { ensureProducts } from '../support/coupons-world';
import { insertVoucher } from '../support/vouchers-world';
import { addReseller, bookIntoMonth, freshMonth, payOrder, settlementCoupons } from '../support/settlement-world';
import { reconcile, reconcileWith } from '../../src/reconcile/reconcile';
import { runJob } from '../../src/jobs/run-job';
import { enqueueJob } from '../../src/jobs/outbox';
import { handlers } from '../../workers/handlers';
import { logger } from '../../src/logger';
import { first } from '../../src/db/rows';

const DAY = 86_400_000;
const line = (l: Record<string, unknown>) => ({ adjusts: null, returned: '0', ...l });
const pick = (l: Record<string, unknown>) => ({
  kind: l.kind, templateId: l.templateId, accountId: l.accountId, resellerId: l.resellerId, adjusts: l.adjusts, deducted: l.deducted, returned: l.returned, net: l.net,
});

/**
 * R37 R38 R39 over one distributor (D) with two resellers (R1, R2), in a month of the past (M):
 * prepaid orders through checkout, a pay-as-you-go cycle and a voucher; M closes; a 5-day refund of
 * one of its orders comes after, in this month (C). Every figure is computed by hand here.
 *
 * Coupons (USD): D partner-borne cD 10000 (account), D vendor-borne cV 8000 (account2), R1
 * partner-borne cR1 6000 (R1's customer), R2 partner-borne cR2 4000 (R2's customer), a voucher
 * of D's pool 3000 (account); the world's own coupons add issued 5000 to D and to R1 (partner-borne).
 * In M: orders cD 2500 (o1), cV 3000, cR1 1000, cR2 1500, voucher 1200; the cycle bills account
 * 700 (cD, earliest expiry) and R1's customer 400 (cR1).
 */
describe('R37 R38 R39 settlement across a distributor and two resellers: a month closes, a later refund adjusts', () => {
  let w: World;
  let workers: Awaited<ReturnType<typeof startInProcessWorkers>>;
  let r2: Awaited<ReturnType<typeof addReseller>>;
  let M: string;
  const C = new Date().toISOString().slice(0, 7);
  const t = {} as Record<'dp' | 'dv' | 'r2', string>;
  let o1: string;
  let closedView: unknown;

  before(async () => {
    await ensureProducts();
    workers = await startInProcessWorkers();
    w = await buildWorld(harness.ds);
    const T = w.A.partner;
    r2 = await addReseller(w.A, 'a');
    M = await freshMonth();
    const from = new Date(new Date(`${M}-01T00:00:00Z`).getTime() - DAY);
    const { tpl, coupons: { cD, cV, cR1, cR2 } } = await settlementCoupons(w.A, r2, from);
    Object.assign(t, tpl);
    const { voucher } = await insertVoucher({ tenantId: T, grantedBy: w.admin.id, madeBy: w.A.pa.id, holders: [w.A.account], granted: 5000, faceValue: 3000, validFrom: from });
    o1 = await payOrder(T, T, w.A.account, cD, 2500);
    await payOrder(T, T, w.A.account2, cV, 3000);
    await payOrder(T, w.A.reseller, w.A.resellerCustomer, cR1, 1000);
    await payOrder(T, r2.id, r2.customer, cR2, 1500);
    await payOrder(T, T, w.A.account, voucher, 1200);
    // The pay-as-you-go cycle of an hour of M (R23: coupons apply by themselves).
    const hour = new Date(`${M}-10T10:00:00Z`);
    const at = new Date(hour.getTime() + 60_000).toISOString();
    const usage = await as(w.admin.token).post('/v1/usage', {
      records: [
        { usageId: randomUUID(), accountId: w.A.account, productCode: 'cvm', currency: 'USD', amount: '700', occurredAt: at },
        { usageId: randomUUID(), accountId: w.A.resellerCustomer, productCode: 'cvm', currency: 'USD', amount: '400', occurredAt: at },
      ],
    });
    expect(usage.status, JSON.stringify(usage.body)).to.equal(200);
    const cycle = await as(w.admin.token).post('/v1/billing-cycles', { period: 'hourly', periodStart: hour.toISOString() });
    expect(cycle.status, JSON.stringify(cycle.body)).to.equal(202);
    expect(await workers.watcher.completion(`billing.cycle-${cycle.body.id}`)).to.equal('done');
    await bookIntoMonth(T, M);
  });
  after(async () => {
    await workers.close();
  });

  const settlement = (token: string, partner: string, month: string) => call('GET', `/v1/partners/${partner}/settlements/${month}`, { token });

  const expectedM = () => ({
    D: [
      line({ kind: 'partner_borne', templateId: t.dp, accountId: w.A.account, resellerId: null, deducted: '3200', net: '3200' }),
      line({ kind: 'reseller', templateId: w.A.tplR, accountId: null, resellerId: w.A.reseller, deducted: '1400', net: '1400' }),
      line({ kind: 'reseller', templateId: t.r2, accountId: null, resellerId: r2.id, deducted: '1500', net: '1500' }),
      line({ kind: 'vendor_borne', templateId: null, accountId: null, resellerId: null, deducted: '1200', net: '1200' }),
      line({ kind: 'vendor_borne', templateId: t.dv, accountId: null, resellerId: null, deducted: '3000', net: '3000' }),
    ],
  });
  const sortLines = (ls: Record<string, unknown>[]) => ls.map(pick).sort((a, b) => `${a.kind}${a.templateId}${a.resellerId}`.localeCompare(`${b.kind}${b.templateId}${b.resellerId}`));

  it('R37: the open month, computed live, holds every hand-computed line and total of the distributor', async () => {
    const res = await settlement(w.A.pa.token, w.A.partner, M);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.status).to.equal('open');
    const [usd] = res.body.settlements;
    expect(res.body.settlements).to.have.length(1);
    expect(usd).to.deep.include({ currency: 'USD', partnerBorne: '3200', passedUp: '2900', owed: '6100', vendorBorne: '4200', adjustments: '0', owedTo: 'vendor' });
    expect(sortLines(usd.lines)).to.deep.equal(sortLines(expectedM().D));
    expect(usd.lines.find((l: { kind: string }) => l.kind === 'partner_borne').accountName).to.equal('cust1-a');
  });

  it('R37: each reseller owes its distributor its own partner-borne net, per template and subaccount', async () => {
    const r1 = await settlement(w.A.ra.token, w.A.reseller, M);
    expect(r1.status).to.equal(200);
    expect(r1.body.settlements[0]).to.deep.include({ partnerBorne: '1400', passedUp: '0', owed: '1400', vendorBorne: '0', owedTo: 'distributor' });
    expect(r1.body.settlements[0].lines.map(pick)).to.deep.equal([line({ kind: 'partner_borne', templateId: w.A.tplR, accountId: w.A.resellerCustomer, resellerId: null, deducted: '1400', net: '1400' })]);
    const res2 = await settlement(r2.admin.token, r2.id, M);
    expect(res2.body.settlements[0]).to.deep.include({ owed: '1500', owedTo: 'distributor' });
    expect(res2.body.settlements[0].lines.map(pick)).to.deep.equal([line({ kind: 'partner_borne', templateId: t.r2, accountId: r2.customer, resellerId: null, deducted: '1500', net: '1500' })]);
  });

  it('R1 R37: a reseller cannot read its distributor\'s settlement (404), a distributor not its reseller\'s lines (403), another tenant none (404)', async () => {
    expect((await settlement(w.A.ra.token, w.A.partner, M)).status).to.equal(404);
    expect((await settlement(w.A.pa.token, w.A.reseller, M)).status).to.equal(403);
    expect((await settlement(w.B.pa.token, w.A.partner, M)).status).to.equal(404);
    expect((await call('GET', `/v1/partners/${w.A.partner}/settlements`, { token: w.B.pa.token })).status).to.equal(404);
  });

  it('R37: closing the month (platform admin) freezes the live figures; closing it again changes nothing', async () => {
    const live = (await settlement(w.A.pa.token, w.A.partner, M)).body;
    expect((await call('POST', `/v1/settlement-months/${M}/close`, { token: w.A.pa.token })).status).to.equal(403);
    const res = await call('POST', `/v1/settlement-months/${M}/close`, { token: w.admin.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ month: M, closedBy: w.admin.id });
    const again = await call('POST', `/v1/settlement-months/${M}/close`, { token: w.admin.token });
    expect(again.body).to.deep.equal(res.body);
    closedView = (await settlement(w.A.pa.token, w.A.partner, M)).body;
    expect(closedView).to.deep.include({ status: 'closed', closedAt: res.body.closedAt });
    expect((closedView as typeof live).settlements).to.deep.equal(live.settlements);
    const list = await call('GET', `/v1/partners/${w.A.partner}/settlements?from=${M}&to=${M}`, { token: w.A.pv.token });
    expect(list.body.items).to.deep.equal([{ month: M, status: 'closed', currency: 'USD', partnerBorne: '3200', passedUp: '2900', owed: '6100', vendorBorne: '4200', adjustments: '0' }]);
  });

  it('R38: the closed month carries opening and closing liability per cost bearer', async () => {
    const usd = first((closedView as { settlements: { liability: unknown[] }[] }).settlements, 'the USD settlement');
    expect(usd.liability).to.deep.equal([
      { currency: 'USD', costBearer: 'partner', opening: '0', issued: '15000', deducted: '3200', returned: '0', revoked: '0', expired: '0', reclaimed: '0', closing: '11800' },
      { currency: 'USD', costBearer: 'vendor', opening: '0', issued: '11000', deducted: '4200', returned: '0', revoked: '0', expired: '0', reclaimed: '0', closing: '6800' },
    ]);
  });

  it('R37 R27: a 5-day refund after the close lands in this month as an adjustment of M, and M does not change', async () => {
    const refund = await call('POST', `/v1/orders/${o1}/refund`, { token: w.admin.token, body: { reason: 'unsubscribed' } });
    expect(refund.status, JSON.stringify(refund.body)).to.equal(201);
    expect(refund.body.rule).to.equal('five_day_full');
    expect((await settlement(w.A.pa.token, w.A.partner, M)).body).to.deep.equal(closedView);
    const now = await settlement(w.A.pa.token, w.A.partner, C);
    expect(now.body.status).to.equal('open');
    const [usd] = now.body.settlements;
    expect(usd).to.deep.include({ partnerBorne: '-2500', passedUp: '0', owed: '-2500', vendorBorne: '0', adjustments: '-2500' });
    expect(usd.lines.map(pick)).to.deep.equal([{ kind: 'partner_borne', templateId: t.dp, accountId: w.A.account, resellerId: null, adjusts: M, deducted: '0', returned: '2500', net: '-2500' }]);
    // R38: the month's opening is M's closing (and the months between, which move nothing).
    expect(usd.liability.find((b: { costBearer: string }) => b.costBearer === 'partner')).to.include({ opening: '11800', returned: '2500', closing: '14300' });
  });

  it('R38: every partner\'s liability now: issued - deducted + returned - revoked - expired - reclaimed = the coupons\' balances', async () => {
    const figures = async (token: string, partner: string) => (await call('GET', `/v1/partners/${partner}/liability`, { token })).body;
    const d = await figures(w.A.pa.token, w.A.partner);
    expect(d.balanced).to.equal(true);
    expect(d.items).to.deep.equal([
      { costBearer: 'partner', currency: 'USD', issued: '15000', deducted: '3200', returned: '2500', revoked: '0', expired: '0', reclaimed: '0', outstanding: '14300', balance: '14300' },
      { costBearer: 'vendor', currency: 'USD', issued: '11000', deducted: '4200', returned: '0', revoked: '0', expired: '0', reclaimed: '0', outstanding: '6800', balance: '6800' },
    ]);
    const r1 = await figures(w.A.pa.token, w.A.reseller); // R39: the distributor reads its reseller's totals
    expect(r1).to.deep.include({ balanced: true });
    expect(r1.items[0]).to.include({ issued: '11000', deducted: '1400', outstanding: '9600', balance: '9600' });
    const r2f = await figures(r2.admin.token, r2.id);
    expect(r2f.items[0]).to.include({ issued: '4000', deducted: '1500', outstanding: '2500', balance: '2500' });
    const past = await call('GET', `/v1/partners/${w.A.partner}/liability?at=${encodeURIComponent(new Date(`${M}-01T00:00:00Z`).toISOString())}`, { token: w.A.pa.token });
    expect(past.body).to.deep.include({ items: [], balanced: null });
    expect((await figures(w.A.ra.token, w.A.partner)).error.code).to.equal('not_found');
  });

  it('R26 R37 R38: the whole-database reconcile finds no difference in liability and settlements', async () => {
    const report = await reconcile(harness.ds);
    expect(report.liability.mismatches).to.deep.equal([]);
    expect(report.settlements.mismatches).to.deep.equal([]);
    expect(report.settlements.checked).to.be.greaterThan(0);
    expect(report.ok, JSON.stringify(report)).to.equal(true);
  });

  it('R37 R38: the database refuses to edit a closed month, and reconcile reports a stored line the ledger does not give', async () => {
    const refused = await harness.ds.query(`UPDATE settlement_lines SET deducted = deducted + 1 WHERE tenant_id = $1`, [w.A.partner]).catch((e: Error) => e);
    expect(String((refused as Error).message)).to.match(/never changes/);
    const rollback = new Error('rollback');
    const problems = await harness.ds
      .transaction(async (em) => {
        // Lifted inside a transaction that rolls back: what reconcile would say of a month edited behind its back.
        await em.query(`ALTER TABLE settlement_lines DISABLE TRIGGER settlement_lines_frozen`);
        await em.query(`UPDATE settlement_lines SET deducted = deducted + 1 WHERE tenant_id = $1 AND partner_id = $1 AND month = $2::date AND kind = 'partner_borne'`, [w.A.partner, `${M}-01`]);
        const report = await reconcileWith(em);
        throw Object.assign(rollback, { found: report.settlements.mismatches.filter((m) => m.tenantId === w.A.partner).map((m) => m.problem).sort() });
      })
      .catch((e: Error & { found?: string[] }) => e.found);
    expect(problems).to.deep.equal(['line_missing', 'line_not_in_ledger', 'totals_differ']);
    expect((await reconcile(harness.ds)).settlements.mismatchCount).to.equal(0);
  });

  it('R39: the distributor sees each reseller\'s totals and what it owes, and never an account of a reseller\'s customer', async () => {
    const res = await call('GET', `/v1/partners/${w.A.partner}/reseller-totals?from=${M}&to=${M}`, { token: w.A.pv.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const by = (reseller: string) => res.body.items.filter((i: { resellerId: string }) => i.resellerId === reseller);
    expect(by(w.A.reseller)).to.deep.equal([
      { resellerId: w.A.reseller, resellerName: 'res-a-' + by(w.A.reseller)[0].resellerName.slice(6), month: M, templateId: w.A.tplR, templateName: 'tpl-a', costBearer: 'partner', currency: 'USD',
        issued: '11000', deducted: '1400', returned: '0', revoked: '0', expired: '0', reclaimed: '0', outstanding: '9600' },
    ]);
    expect(by(r2.id).map((i: { issued: string; deducted: string; outstanding: string }) => [i.issued, i.deducted, i.outstanding])).to.deep.equal([['4000', '1500', '2500']]);
    expect(res.body.settlements).to.deep.equal([
      { resellerId: w.A.reseller, month: M, status: 'closed', currency: 'USD', owed: '1400' },
      { resellerId: r2.id, month: M, status: 'closed', currency: 'USD', owed: '1500' },
    ].sort((a, b) => a.resellerId.localeCompare(b.resellerId)));
    const customers: { id: string; name: string }[] = await harness.ds.query(
      `SELECT id, name FROM accounts WHERE tenant_id = $1 AND partner_id IN ($2, $3)`, [w.A.partner, w.A.reseller, r2.id]);
    for (const text of [JSON.stringify(res.body), JSON.stringify(closedView)]) {
      for (const c of customers) expect(text).not.to.include(c.id).and.not.to.include(c.name);
    }
    expect((await call('GET', `/v1/partners/${w.A.reseller}/reseller-totals`, { token: w.A.ra.token })).status).to.equal(403);
  });

  it('R37: the vendor\'s promotion expense per BD, partner and template: the admin sees all, a BD its partners only', async () => {
    const mine = (body: { items: { partnerId: string }[] }) => body.items.filter((i) => i.partnerId === w.A.partner);
    const admin = await call('GET', `/v1/promotion-expense?month=${M}`, { token: w.admin.token });
    expect(admin.body.status).to.equal('closed');
    const expected = [
      { bdUserId: w.bd.id, bdName: 'bd', partnerId: w.A.partner, templateId: t.dv, templateName: 'D vendor-borne', currency: 'USD', deducted: '3000', returned: '0', net: '3000' },
      { bdUserId: w.bd.id, bdName: 'bd', partnerId: w.A.partner, templateId: null, templateName: 'voucher', currency: 'USD', deducted: '1200', returned: '0', net: '1200' },
    ];
    const strip = (items: Record<string, unknown>[]) => items.map(({ partnerName: _p, ...i }) => i).sort((a, b) => String(a.templateName).localeCompare(String(b.templateName)));
    expect(strip(mine(admin.body))).to.deep.equal(strip(expected));
    expect(strip(mine((await call('GET', `/v1/promotion-expense?month=${M}`, { token: w.bd.token })).body))).to.deep.equal(strip(expected));
    expect(mine((await call('GET', `/v1/promotion-expense?month=${M}`, { token: w.otherBd.token })).body)).to.deep.equal([]);
    expect((await call('GET', `/v1/promotion-expense?month=${M}`, { token: w.A.pa.token })).status).to.equal(403);
    const csv = await call('GET', `/v1/promotion-expense?month=${M}&format=csv`, { token: w.bd.token });
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    expect(String(csv.body).split('\n')[0]).to.equal('bdUserId,bdName,partnerId,partnerName,templateId,templateName,currency,deducted,returned,net');
  });

  it('R37: a closed month\'s lines stream as CSV', async () => {
    const res = await call('GET', `/v1/partners/${w.A.partner}/settlements/${M}?format=csv`, { token: w.A.pa.token });
    expect(res.status).to.equal(200);
    const rows = String(res.body).trim().split('\n');
    expect(rows[0]).to.equal('month,currency,line,kind,templateId,templateName,accountId,accountName,resellerId,resellerName,adjusts,deducted,returned,net');
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 4).join(','))).to.deep.equal(['1', '2', '3', '4', '5'].map((n, i) => `${M},USD,${n},${['partner_borne', 'reseller', 'reseller', 'vendor_borne', 'vendor_borne'][i]}`));
  });
});

describe('R37 months close by a scheduled job through the outbox, once', () => {
  it('R37: a month cannot close before it ended and its grace period passed (409 month_not_over)', async () => {
    const w = await buildWorld(harness.ds);
    const now = new Date().toISOString().slice(0, 7);
    const res = await call('POST', `/v1/settlement-months/${now}/close`, { token: w.admin.token });
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('month_not_over');
    const months = await call('GET', `/v1/settlement-months?from=${now}&to=${now}`, { token: w.A.pa.token });
    expect(months.body.items).to.deep.equal([{ month: now, status: 'open', closedAt: null, closableAt: months.body.items[0].closableAt }]);
  });

  it('R37: the close-month job closes a month once; delivered again it adds nothing', async () => {
    const workers = await startInProcessWorkers();
    try {
      const w = await buildWorld(harness.ds);
      const month = await freshMonth();
      await bookIntoMonth(w.A.partner, month); // the world's issue rows
      await harness.ds.transaction((em) => enqueueJob(em, 'settlement.close-month', month, { month }));
      const jobId = `settlement.close-month-${month}`;
      expect(await workers.watcher.completion(jobId)).to.equal('done');
      const count = async () =>
        (await harness.ds.query(`SELECT count(*)::int AS n FROM settlement_liabilities WHERE tenant_id = $1 AND month = $2::date`, [w.A.partner, `${month}-01`]))[0].n;
      expect(await count()).to.equal(2); // D and R1, partner-borne: the world's coupons
      const [closed] = await harness.ds.query(`SELECT closed_by FROM settlement_months WHERE month = $1::date`, [`${month}-01`]);
      expect(closed.closed_by).to.equal(null);
      const again = { id: jobId, name: 'settlement.close-month', data: { month }, attemptsMade: 1 } as unknown as Job;
      expect(await runJob(harness.ds, handlers, again, logger)).to.equal('duplicate');
      const fresh = { ...again, id: `${jobId}-replayed` } as unknown as Job;
      expect(await runJob(harness.ds, handlers, fresh, logger)).to.equal('done');
      expect(await count()).to.equal(2);
    } finally {
      await workers.close();
    }
  });
});
