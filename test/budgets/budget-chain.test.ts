import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call, expectError, type Reply } from '../support/http';
import { buildWorld, type Person, type World } from '../support/world';
import { JobWatcher, useWorkers } from '../support/jobs';
import { startWorkerProcess } from '../support/worker-process';
import { bulkAccounts, createTemplate, ensureProducts } from '../support/coupons-world';
import { tablesWrittenBy } from '../support/db-fingerprint';
import { thisQuarter } from '../support/budgets-world';
import { sourcesMatching } from '../support/sources';
import { reconcile } from '../../src/reconcile/reconcile';

/**
 * R36 end to end, through real HTTP and real workers: grants, allocations down the tree, and a
 * request's reserve -> commit / release, each a budget ledger row whose sums are the figures.
 */
describe('R36 budget chain: grants, allocations, reserve / commit / release', () => {
  let w: World;
  const workers = useWorkers();
  before(async () => {
    await ensureProducts();
  });
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const grant = (by: Person, partnerId: string, body: Record<string, unknown>) =>
    call('POST', `/v1/partners/${partnerId}/budgets`, { token: by.token, body: { currency: 'USD', reason: 'Q plan', ...body } });
  const granted = async (by: Person, partnerId: string, body: Record<string, unknown>) => {
    const res = await grant(by, partnerId, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string; amount: string; allocated: string; reserved: string; committed: string; available: string; parentBudgetId: string | null };
  };
  const budget = async (id: string) => {
    const res = await as(w.admin.token).get(`/v1/budgets/${id}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const ledger = async (id: string) => {
    const res = await as(w.admin.token).get(`/v1/budgets/${id}/ledger?limit=200`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.items as { type: string; amount: string; by: { email: string } | null; reason: string | null; requestId: string | null }[];
  };
  const refused = async (act: () => Promise<Reply>, status: number, code: string) => {
    const { result, written } = await tablesWrittenBy(harness.ds, act, [w.A.partner, w.B.partner]);
    expectError(result, status, code);
    expect(written, 'a refusal writes nothing').to.deep.equal([]);
    return result;
  };
  const submit = async (by: Person, templateId: string, accountIds: string[]) =>
    call('POST', '/v1/issuance-requests', { token: by.token, body: { templateId, accountIds } });
  const submitted = async (by: Person, templateId: string, accountIds: string[]) => {
    const res = await submit(by, templateId, accountIds);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string };
  };

  it('R36: the platform admin grants a distributor both kinds, the BD vendor-borne to its own partners only; grants of a quarter add up, each a ledger row with who and why', async () => {
    const first = await granted(w.admin, w.A.partner, { kind: 'partner', amount: '10000' });
    const { start, end } = thisQuarter();
    expect(first).to.deep.include({ kind: 'partner', amount: '10000', available: '10000', periodStart: start.toISOString(), periodEnd: end.toISOString() });
    const again = await granted(w.admin, w.A.partner, { kind: 'partner', amount: '5000', reason: 'top-up' });
    expect(again).to.deep.include({ id: first.id, amount: '15000' });
    const vendor = await granted(w.bd, w.A.partner, { kind: 'vendor', amount: '20000' });
    expect(vendor).to.deep.include({ kind: 'vendor', amount: '20000' });

    await refused(() => grant(w.bd, w.A.partner, { kind: 'partner', amount: '1' }), 403, 'forbidden');
    await refused(() => grant(w.otherBd, w.A.partner, { kind: 'vendor', amount: '1' }), 404, 'not_found');
    const resellerVendor = await refused(() => grant(w.bd, w.A.reseller, { kind: 'vendor', amount: '1' }), 403, 'forbidden');
    expect(resellerVendor.body.error.message).to.match(/reseller/);
    const adminToReseller = await refused(() => grant(w.admin, w.A.reseller, { kind: 'partner', amount: '1' }), 403, 'forbidden');
    expect(adminToReseller.body.error.message).to.match(/allocated by its distributor/);
    await refused(() => grant(w.A.pa, w.A.partner, { kind: 'partner', amount: '1' }), 403, 'forbidden');
    await refused(() => grant(w.A.ra, w.A.reseller, { kind: 'partner', amount: '1' }), 403, 'forbidden');
    // Another budget of the same kind for an overlapping period is refused with the one it overlaps.
    const overlap = await refused(
      () => grant(w.admin, w.A.partner, { kind: 'partner', amount: '1', periodStart: new Date(start.getTime() + 86_400_000).toISOString(), periodEnd: end.toISOString() }),
      409, 'budget_period_overlaps',
    );
    expect(overlap.body.error.details).to.deep.include({ budgetId: first.id });

    const rows = await ledger(first.id);
    expect(rows.map((r) => [r.type, r.amount, r.by?.email, r.reason])).to.deep.equal([
      ['grant', '10000', w.admin.email, 'Q plan'],
      ['grant', '5000', w.admin.email, 'top-up'],
    ]);
    expect((await ledger(vendor.id)).map((r) => [r.type, r.by?.email])).to.deep.equal([['grant', w.bd.email]]);
    // The partner reads its budgets, both kinds; its BD too; another tenant's are 404.
    const mine = await as(w.A.pv.token).get(`/v1/partners/${w.A.partner}/budgets`);
    expect(mine.body.items.map((b: { kind: string }) => b.kind).sort()).to.deep.equal(['partner', 'vendor']);
    expect((await as(w.bd.token).get(`/v1/budgets/${first.id}`)).status).to.equal(200);
    expect((await as(w.B.pa.token).get(`/v1/budgets/${first.id}`)).status).to.equal(404);
    expect((await as(w.otherBd.token).get(`/v1/budgets/${first.id}/ledger`)).status).to.equal(404);
  });

  it('R36: a distributor allocates to its reseller out of what it has left; lowering stops at what the reseller holds, and the distributor gets it back', async () => {
    const d = await granted(w.admin, w.A.partner, { kind: 'partner', amount: '10000' });
    const r = await granted(w.A.pa, w.A.reseller, { kind: 'partner', amount: '4000', reason: 'for the spring push' });
    expect(r).to.deep.include({ parentBudgetId: d.id, amount: '4000', available: '4000' });
    expect(await budget(d.id)).to.deep.include({ amount: '10000', allocated: '4000', available: '6000' });
    const tooMuch = await refused(() => grant(w.A.pa, w.A.reseller, { kind: 'partner', amount: '6001' }), 422, 'allocation_exceeded');
    expect(tooMuch.body.error.details).to.deep.include({ available: '6000', needed: '6001' });

    const t = await createTemplate(w.A.ra, { costBearer: 'partner', faceValue: '1000' });
    const accounts = await bulkAccounts(w.A.partner, w.A.reseller, 3);
    const req = await submitted(w.A.ra, t.id, accounts);
    expect(await budget(r.id)).to.deep.include({ used: '3000', available: '1000' });
    // Issued: what was reserved is committed (waited for, so no worker writes while refusals are checked).
    expect(await workers.watcher.completion(`issuance.issue-${req.id}`)).to.equal('done');
    expect(await budget(r.id)).to.deep.include({ reserved: '0', committed: '3000', used: '3000' });
    const low = await refused(() => call('PATCH', `/v1/budgets/${r.id}`, { token: w.A.pa.token, body: { amount: '2999', reason: 'cut' } }), 422, 'budget_below_used');
    expect(low.body.error.details).to.deep.include({ used: '3000' });
    await refused(() => call('PATCH', `/v1/budgets/${r.id}`, { token: w.A.ra.token, body: { amount: '9000', reason: 'more' } }), 403, 'forbidden');
    const cut = await as(w.A.pa.token).patch(`/v1/budgets/${r.id}`, { amount: '3000', reason: 'cut to what is held' });
    expect(cut.status, JSON.stringify(cut.body)).to.equal(200);
    expect(cut.body).to.deep.include({ amount: '3000', available: '0' });
    expect(await budget(d.id)).to.deep.include({ allocated: '3000', available: '7000' });
    expect((await ledger(d.id)).map((x) => [x.type, x.amount])).to.deep.equal([['grant', '10000'], ['allocate', '4000'], ['deallocate', '1000']]);
    expect((await ledger(r.id)).map((x) => [x.type, x.amount, x.requestId])).to.deep.equal([
      ['grant', '4000', null], ['reserve', '3000', req.id], ['commit', '3000', req.id], ['lower', '1000', null],
    ]);
    // The distributor reads its reseller's allocation; the reseller does not read its distributor's budget.
    expect((await as(w.A.pa.token).get(`/v1/budgets/${r.id}`)).status).to.equal(200);
    expect((await as(w.A.ra.token).get(`/v1/budgets/${d.id}`)).status).to.equal(404);
  });

  it('R36 R7: 20 concurrent reseller requests against an allocation that covers 7: exactly 7 reserve, the rest 409 budget_exceeded, never past it', async () => {
    await granted(w.admin, w.A.partner, { kind: 'partner', amount: '100000' });
    const r = await granted(w.A.pa, w.A.reseller, { kind: 'partner', amount: '7000' });
    const t = await createTemplate(w.A.ra, { costBearer: 'partner', faceValue: '1000' });
    const accounts = await bulkAccounts(w.A.partner, w.A.reseller, 20);
    const replies = await Promise.all(accounts.map((a) => submit(w.A.ra, t.id, [a])));
    const ok = replies.filter((x) => x.status === 201);
    expect(ok, JSON.stringify(replies.map((x) => [x.status, x.body?.error?.code]))).to.have.length(7);
    for (const x of replies.filter((y) => y.status !== 201)) expect(x.body.error.code).to.equal('budget_exceeded');
    expect(await budget(r.id)).to.deep.include({ used: '7000', available: '0' }); // reserved, or committed once issued
    for (const x of ok) expect(await workers.watcher.completion(`issuance.issue-${x.body.id}`)).to.equal('done');
    expect(await budget(r.id)).to.deep.include({ reserved: '0', committed: '7000', available: '0' });
  });

  it('R36: 10 concurrent allocations to 10 resellers never pass what the distributor has left (3 of 3000 fit in 10000)', async () => {
    const d = await granted(w.admin, w.A.partner, { kind: 'partner', amount: '10000' });
    const resellers: { id: string }[] = await harness.ds.query(
      `INSERT INTO partners (tenant_id, tier, parent_id, name) SELECT $1, 2, $1, 'r-' || g FROM generate_series(1, 10) g RETURNING id`,
      [w.A.partner],
    );
    const replies = await Promise.all(resellers.map((x) => grant(w.A.pa, x.id, { kind: 'partner', amount: '3000' })));
    expect(replies.filter((x) => x.status === 201), JSON.stringify(replies.map((x) => [x.status, x.body?.error?.code]))).to.have.length(3);
    for (const x of replies.filter((y) => y.status !== 201)) expect(x.body.error.code).to.equal('allocation_exceeded');
    expect(await budget(d.id)).to.deep.include({ allocated: '9000', available: '1000' });
  });

  it('R5 R36: a reseller with no allocation of the period draws on its distributor\'s partner-borne budget', async () => {
    const d = await granted(w.admin, w.A.partner, { kind: 'partner', amount: '2000' });
    const t = await createTemplate(w.A.ra, { costBearer: 'partner', faceValue: '1000' });
    const accounts = await bulkAccounts(w.A.partner, w.A.reseller, 3);
    const req = await submitted(w.A.ra, t.id, accounts.slice(0, 2));
    expect(await workers.watcher.completion(`issuance.issue-${req.id}`)).to.equal('done');
    expect(await budget(d.id)).to.deep.include({ reserved: '0', committed: '2000', available: '0' });
    const over = await refused(() => submit(w.A.ra, t.id, [accounts[2]!]), 409, 'budget_exceeded');
    expect(over.body.error.details).to.deep.include({ budgetId: d.id, requested: '1000', available: '0' });
  });

  it("R36: vendor-borne: submission reserves on the partner's vendor-borne budget, a request past it is 409, the BD's rejection releases exactly its reservation", async () => {
    const v = await granted(w.bd, w.A.partner, { kind: 'vendor', amount: '12000' });
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor', faceValue: '5000' });
    const accounts = await bulkAccounts(w.A.partner, w.A.partner, 3);
    const kept = await submitted(w.A.po, t.id, [accounts[0]!]);
    const rejected = await submitted(w.A.po, t.id, [accounts[1]!]);
    await workers.watcher.completion(`issuance.route-${kept.id}`);
    await workers.watcher.completion(`issuance.route-${rejected.id}`);
    expect(await budget(v.id)).to.deep.include({ reserved: '10000', available: '2000' });
    await refused(() => submit(w.A.po, t.id, [accounts[2]!]), 409, 'budget_exceeded');
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${rejected.id}/reject`, { reason: 'not this quarter' })).status).to.equal(200);
    expect(await budget(v.id)).to.deep.include({ reserved: '5000', available: '7000' });
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${kept.id}/approve`)).status).to.equal(200);
    expect(await workers.watcher.completion(`issuance.issue-${kept.id}`)).to.equal('done');
    expect(await budget(v.id)).to.deep.include({ reserved: '0', committed: '5000', available: '7000' });
    expect((await ledger(v.id)).map((x) => [x.type, x.amount, x.requestId])).to.deep.equal([
      ['grant', '12000', null], ['reserve', '5000', kept.id], ['reserve', '5000', rejected.id], ['release', '5000', rejected.id], ['commit', '5000', kept.id],
    ]);
  });

  it('R9 R36: a request that partly fails commits what was issued and releases the failed accounts\' share', async () => {
    const v = await granted(w.bd, w.A.partner, { kind: 'vendor', amount: '10000' });
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor', faceValue: '5000' });
    const req = await submitted(w.A.po, t.id, [w.A.account, w.A.account2]);
    await workers.watcher.completion(`issuance.route-${req.id}`);
    await as(w.A.pa.token).post(`/v1/accounts/${w.A.account2}/deactivate`, { reason: 'closed' });
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${req.id}/approve`)).status).to.equal(200);
    expect(await workers.watcher.completion(`issuance.issue-${req.id}`)).to.equal('done');
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${req.id}`)).body.status).to.equal('issued_with_failures');
    expect(await budget(v.id)).to.deep.include({ reserved: '0', committed: '5000', available: '5000' });
    expect((await ledger(v.id)).map((x) => [x.type, x.amount])).to.deep.equal([['grant', '10000'], ['reserve', '10000'], ['release', '5000'], ['commit', '5000']]);
  });

  it('R9 R36: a request that expires without a decision releases its reservation', async () => {
    const v = await granted(w.bd, w.A.partner, { kind: 'vendor', amount: '10000' });
    await workers.stop();
    const prefix = `b${randomUUID().slice(0, 8)}`;
    const watcher = await JobWatcher.start(prefix);
    const quick = await startWorkerProcess(prefix, { APPROVAL_WINDOW_SECONDS: '1' });
    try {
      const t = await createTemplate(w.A.pa, { costBearer: 'vendor', faceValue: '4000' });
      const req = await submitted(w.A.po, t.id, [w.A.account]);
      expect(await watcher.completion(`issuance.expire-${req.id}`)).to.equal('done');
      expect(await budget(v.id)).to.deep.include({ reserved: '0', committed: '0', available: '10000' });
      expect((await ledger(v.id)).map((x) => [x.type, x.amount, x.reason])).to.deep.equal([
        ['grant', '10000', 'Q plan'], ['reserve', '4000', 'submitted'], ['release', '4000', 'ended without issuance'],
      ]);
    } finally {
      await quick.stop();
      await watcher.close();
      await workers.start();
    }
  });

  it('R35 R36 R38: a voided coupon gives its budget back exactly what it had left: after a payment, and for the rest of the request at once', async () => {
    const v = await granted(w.bd, w.A.partner, { kind: 'vendor', amount: '20000' });
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor', faceValue: '5000' });
    const req = await submitted(w.A.po, t.id, [w.A.account, w.A.account2]);
    await workers.watcher.completion(`issuance.route-${req.id}`);
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${req.id}/approve`)).status).to.equal(200);
    expect(await workers.watcher.completion(`issuance.issue-${req.id}`)).to.equal('done');
    expect(await budget(v.id)).to.deep.include({ committed: '10000', available: '10000' });
    const [paid]: { id: string }[] = await harness.ds.query(`SELECT id FROM coupons WHERE request_id = $1 AND account_id = $2`, [req.id, w.A.account]);
    const order = await call('POST', '/v1/orders', {
      token: w.A.af.token,
      body: { currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '1500' }], coupon: paid?.id },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(order.status, JSON.stringify(order.body)).to.equal(201);
    expect(order.body.couponDeduction).to.equal('1500');

    const one = await as(w.A.pa.token).post(`/v1/coupons/${paid?.id}/void`, { reason: 'issued by mistake' });
    expect(one.status, JSON.stringify(one.body)).to.equal(200);
    expect(await budget(v.id)).to.deep.include({ committed: '6500', available: '13500' });
    const rest = await as(w.A.pa.token).post(`/v1/issuance-requests/${req.id}/void`, { reason: 'campaign withdrawn' });
    expect(rest.status, JSON.stringify(rest.body)).to.equal(200);
    expect(await budget(v.id)).to.deep.include({ reserved: '0', committed: '1500', available: '18500' });
    // Voiding again gives nothing back twice.
    expect((await as(w.A.pa.token).post(`/v1/issuance-requests/${req.id}/void`, { reason: 'again' })).status).to.equal(200);
    expect(await budget(v.id)).to.deep.include({ committed: '1500' });
    expect((await ledger(v.id)).slice(-2).map((x) => [x.type, x.amount, x.by?.email, x.reason])).to.deep.equal([
      ['revoke', '3500', w.A.pa.email, 'voided: issued by mistake'],
      ['revoke', '5000', w.A.pa.email, 'voided: campaign withdrawn'],
    ]);
    // R38: the partner's vendor-borne liability adds up with the voids in it, and nothing is left outstanding.
    const liability = await as(w.A.pa.token).get(`/v1/partners/${w.A.partner}/liability`);
    expect(liability.status, JSON.stringify(liability.body)).to.equal(200);
    expect(liability.body.balanced).to.equal(true);
    const vendorUsd = liability.body.items.find((i: { costBearer: string; currency: string }) => i.costBearer === 'vendor' && i.currency === 'USD');
    expect(vendorUsd).to.deep.include({ deducted: '1500', revoked: '8500', outstanding: vendorUsd.balance });
  });

  it('R26 R36: reconcile finds every budget equal to its ledger after all of this; a drifted figure is reported, with the ledger\'s', async () => {
    const d = await granted(w.admin, w.A.partner, { kind: 'partner', amount: '10000' });
    const r = await granted(w.A.pa, w.A.reseller, { kind: 'partner', amount: '4000' });
    const t = await createTemplate(w.A.ra, { costBearer: 'partner', faceValue: '1000' });
    const req = await submitted(w.A.ra, t.id, [w.A.resellerCustomer]);
    expect(await workers.watcher.completion(`issuance.issue-${req.id}`)).to.equal('done');
    const mine = (rep: Awaited<ReturnType<typeof reconcile>>) => rep.budgets.mismatches.filter((m) => m.budgetId === d.id || m.budgetId === r.id);
    const clean = await reconcile(harness.ds);
    expect(mine(clean)).to.deep.equal([]);
    expect(clean.budgets.checked).to.be.at.least(2);
    await harness.ds.query(`UPDATE budgets SET reserved = reserved + 1 WHERE id = $1`, [r.id]);
    try {
      expect(mine(await reconcile(harness.ds))).to.deep.equal([{
        budgetId: r.id, tenantId: w.A.partner, granted: '4000', allocated: '0', reserved: '1', committed: '1000',
        ledger: { granted: '4000', allocated: '0', reserved: '0', committed: '1000' }, allocatedToResellers: '0', heldByEndedRequests: '0',
      }]);
    } finally {
      await harness.ds.query(`UPDATE budgets SET reserved = reserved - 1 WHERE id = $1`, [r.id]);
    }
    expect(mine(await reconcile(harness.ds))).to.deep.equal([]);
  });
});

describe('R36 budget figures have exactly one writer', () => {
  it('R36: no source module but src/budgets/budget-ledger.sql.ts inserts budget_ledger rows or updates budgets', () => {
    expect(sourcesMatching(/insert\s+into\s+budget_ledger\b|update\s+budgets\b/i)).to.deep.equal([path.join('budgets', 'budget-ledger.sql.ts')]);
  });
});
