import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { useWorkers, type JobWatcher } from '../support/jobs';
import { createTemplate, ensureProducts } from '../support/coupons-world';

/** R5, R9-R12 end to end: real HTTP, real PostgreSQL, the relay and BullMQ workers. */
describe('issuance workflow: routing, the BD decision, issuance, audit', () => {
  let w: World;
  const workers = useWorkers();
  let jobs: JobWatcher;
  before(async () => {
    await ensureProducts();
    jobs = workers.watcher;
  });
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const submit = async (templateId: string, accountIds: string[], by = w.A.po) => {
    const res = await as(by.token).post('/v1/issuance-requests', { templateId, accountIds });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string; status: string };
  };
  const routed = (id: string) => jobs.completion(`issuance.route-${id}`);
  const issued = (id: string) => jobs.completion(`issuance.issue-${id}`);
  const request = async (id: string, by = w.A.po) => (await as(by.token).get(`/v1/issuance-requests/${id}`)).body;

  it('R5 R9 R10: a partner-borne request is approved at once and issues one coupon per account, each with its issue ledger row', async () => {
    const t = await createTemplate(w.A.po, { costBearer: 'partner' });
    const r = await submit(t.id, [w.A.account, w.A.account2, w.A.account]);
    expect(r.status).to.equal('submitted');
    await routed(r.id);
    expect(await issued(r.id)).to.equal('done');
    const done = await request(r.id);
    expect(done).to.deep.include({ status: 'issued', totalAccounts: 2, totalFaceValue: '10000' });
    expect(done.progress).to.deep.equal({ issued: 2, failed: 0, total: 2 });
    const items = (await as(w.A.pv.token).get(`/v1/issuance-requests/${r.id}/items`)).body.items;
    expect(items).to.have.length(2);
    for (const i of items) {
      expect(i.status).to.equal('issued');
      expect(i.coupon).to.deep.include({ status: 'unused', faceValue: '5000', used: '0', balance: '5000' });
    }
    const ledger = await harness.ds.query(
      `SELECT c.balance::text, sum(l.amount)::text AS total, count(*)::int AS n, min(l.type) AS type
         FROM coupons c JOIN coupon_ledger l ON l.tenant_id = c.tenant_id AND l.coupon_id = c.id
        WHERE c.request_id = $1 GROUP BY c.id, c.balance`,
      [r.id],
    );
    expect(ledger).to.have.length(2);
    for (const l of ledger) expect(l).to.deep.equal({ balance: '5000', total: '5000', n: 1, type: 'issue' });
  });

  it('R2 R9: a vendor-borne request waits in its BD\'s queue (oldest first, with age), is approved, then issued', async () => {
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor' });
    const first = await submit(t.id, [w.A.account]);
    const second = await submit(t.id, [w.A.account2]);
    await routed(first.id);
    await routed(second.id);
    expect((await request(first.id)).status).to.equal('pending_approval');
    const queue = await as(w.bd.token).get('/v1/approval-queue');
    expect(queue.status).to.equal(200);
    const ids = queue.body.items.map((i: { id: string }) => i.id);
    expect(ids.indexOf(first.id)).to.be.lessThan(ids.indexOf(second.id));
    expect(queue.body.items[ids.indexOf(first.id)].ageSeconds).to.be.a('number').and.at.least(0);
    expect((await as(w.otherBd.token).get('/v1/approval-queue')).body.items.map((i: { id: string }) => i.id)).to.not.include(first.id);
    const detail = await as(w.bd.token).get(`/v1/approval-queue/${first.id}`);
    expect(detail.body.template.id).to.equal(t.id);
    expect(detail.body.request).to.deep.include({ totalAccounts: 1, totalFaceValue: '5000' });
    // The world holds one issued vendor-borne request of this partner already.
    expect(detail.body.pastDecisions).to.deep.include({ approved: 1, rejected: 0 });
    const approved = await as(w.bd.token).post(`/v1/issuance-requests/${first.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    expect(approved.body).to.deep.include({ status: 'approved', decidedBy: w.bd.id });
    await issued(first.id);
    expect((await request(first.id)).status).to.equal('issued');
    expect((await as(w.bd.token).get(`/v1/approval-queue/${second.id}`)).body.pastDecisions.approved).to.equal(2);
  });

  it('R2: the BD of another partner gets 404 on the request, its detail and its decision', async () => {
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor' });
    const r = await submit(t.id, [w.A.account]);
    await routed(r.id);
    for (const [m, p] of [['get', `/v1/approval-queue/${r.id}`], ['get', `/v1/issuance-requests/${r.id}`], ['post', `/v1/issuance-requests/${r.id}/approve`]] as const) {
      const res = m === 'get' ? await as(w.otherBd.token).get(p) : await as(w.otherBd.token).post(p);
      expect(res.status, p).to.equal(404);
    }
    expect((await request(r.id)).status).to.equal('pending_approval');
  });

  it('R9: a BD rejects with a reason; nothing is issued, the decision is final (409), and R11 records it', async () => {
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor', issueLimit: 'once' });
    const r = await submit(t.id, [w.A.account]);
    await routed(r.id);
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/reject`, {})).status).to.equal(400);
    const rejected = await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/reject`, { reason: 'budget exhausted this quarter' });
    expect(rejected.body).to.deep.include({ status: 'rejected', decisionReason: 'budget exhausted this quarter' });
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/approve`)).status).to.equal(409);
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/reject`, { reason: 'again' })).status).to.equal(409);
    const [c] = await harness.ds.query(`SELECT count(*)::int AS n FROM coupons WHERE request_id = $1`, [r.id]);
    expect(c.n).to.equal(0);
    // The once-claim was released: the account can be named again.
    await submit(t.id, [w.A.account]);
    const hist = (await as(w.A.pv.token).get(`/v1/issuance-requests/${r.id}/history`)).body.items;
    expect(hist.map((h: { to: string }) => h.to)).to.deep.equal(['submitted', 'pending_approval', 'rejected']);
    expect(hist[2]).to.deep.include({ actorUserId: w.bd.id, reason: 'budget exhausted this quarter', from: 'pending_approval' });
    expect(hist[1]).to.deep.include({ actorKind: 'system' });
  });

  it('R9: the partner cancels while pending; after a decision, or twice, it is 409; a BD cannot decide a cancelled request', async () => {
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor' });
    const r = await submit(t.id, [w.A.account]);
    await routed(r.id);
    expect((await as(w.A.pa.token).post(`/v1/issuance-requests/${r.id}/cancel`)).body.status).to.equal('cancelled');
    expect((await as(w.A.pa.token).post(`/v1/issuance-requests/${r.id}/cancel`)).status).to.equal(409);
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/approve`)).status).to.equal(409);
    const r2 = await submit(t.id, [w.A.account2]);
    await routed(r2.id);
    await as(w.bd.token).post(`/v1/issuance-requests/${r2.id}/approve`);
    expect((await as(w.A.pa.token).post(`/v1/issuance-requests/${r2.id}/cancel`)).status).to.equal(409);
    expect((await as(w.A.pv.token).post(`/v1/issuance-requests/${r2.id}/cancel`)).status).to.equal(403);
  });

  it('R9 R12: an account deactivated before issuance fails alone, with its reason; the request ends issued_with_failures', async () => {
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor' });
    const r = await submit(t.id, [w.A.account, w.A.account2]);
    await routed(r.id);
    await as(w.A.pa.token).post(`/v1/accounts/${w.A.account2}/deactivate`, { reason: 'closed' });
    await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/approve`);
    await issued(r.id);
    const done = await request(r.id);
    expect(done.status).to.equal('issued_with_failures');
    expect(done.progress).to.deep.equal({ issued: 1, failed: 1, total: 2 });
    const failed = (await as(w.A.po.token).get(`/v1/issuance-requests/${r.id}/items?status=failed`)).body.items;
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ accountId: w.A.account2, failureReason: 'account_deactivated', coupon: null });
    const tpl = (await as(w.A.po.token).get(`/v1/templates/${t.id}`)).body;
    expect(tpl.committed).to.deep.equal({ count: 1, amount: '5000' });
  });

  it('R8: issued coupons keep their rules: after issuance only name and description change; archiving touches no coupon', async () => {
    const t = await createTemplate(w.A.po, { costBearer: 'partner', faceValue: '700' });
    const r = await submit(t.id, [w.A.account]);
    await issued(r.id);
    expect((await as(w.A.po.token).patch(`/v1/templates/${t.id}`, { faceValue: '900' })).status).to.equal(409);
    expect((await as(w.A.po.token).patch(`/v1/templates/${t.id}`, { name: 'Renamed', description: 'new words' })).status).to.equal(200);
    expect((await as(w.A.po.token).post(`/v1/templates/${t.id}/archive`)).body.status).to.equal('archived');
    const [coupon] = await harness.ds.query(`SELECT id, face_value::text, status, rules->>'templateName' AS name FROM coupons WHERE request_id = $1`, [r.id]);
    expect(coupon).to.deep.include({ face_value: '700', status: 'unused', name: t.name });
    expect((await as(w.A.po.token).post('/v1/issuance-requests', { templateId: t.id, accountIds: [w.A.account2] })).status).to.equal(409);
    const hist = (await as(w.A.ao.token).get(`/v1/coupons/${coupon.id}/history`)).body.items;
    expect(hist[0]).to.deep.include({ action: 'issued', to: 'unused', actorKind: 'system' });
    expect((await as(w.B.ao.token).get(`/v1/coupons/${coupon.id}`)).status).to.equal(404);
  });

  it('R8: before its first issuance every field of a template may change, validated whole', async () => {
    const t = await createTemplate(w.A.po);
    const res = await as(w.A.po.token).patch(`/v1/templates/${t.id}`, { faceValue: '900', billingModes: ['payg'], scenarios: [] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ faceValue: '900', issued: false });
    const bad = await as(w.A.po.token).patch(`/v1/templates/${t.id}`, { billingModes: ['prepaid'] });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details[0].field).to.equal('body.scenarios');
  });
});
