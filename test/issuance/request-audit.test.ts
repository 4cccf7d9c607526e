import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { JobWatcher, useWorkers } from '../support/jobs';
import { startWorkerProcess } from '../support/worker-process';
import { createTemplate, ensureProducts } from '../support/coupons-world';

/**
 * R11: a request's history is every state change it went through, each with from and to, on every
 * path of the state machine (src/issuance/request-state.ts).
 */
describe('R9 R11 a request\'s audit chain has no gap, on every path', () => {
  let w: World;
  const workers = useWorkers();
  before(async () => {
    await ensureProducts();
  });
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });
  const submit = async (templateId: string, body: Record<string, unknown>) => {
    const res = await as(w.A.po.token).post('/v1/issuance-requests', { templateId, ...body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string };
  };
  const pending = async (accountIds: string[] = [w.A.account]) => {
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor', issueLimit: 'once' });
    const r = await submit(t.id, { accountIds });
    await workers.watcher.completion(`issuance.route-${r.id}`);
    return r;
  };

  const chain = async (id: string) =>
    ((await as(w.A.pv.token).get(`/v1/issuance-requests/${id}/history`)).body.items as { from: string | null; to: string; actorKind: string }[]).map(
      (h) => [h.from, h.to, h.actorKind],
    );

  it('R11: an issued request reads submitted -> approved -> issuing -> issued; the approved -> issuing step is audited, by the system', async () => {
    const t = await createTemplate(w.A.po, { costBearer: 'partner' });
    const r = (await as(w.A.po.token).post('/v1/issuance-requests', { templateId: t.id, accountIds: [w.A.account] })).body;
    expect(await workers.watcher.completion(`issuance.issue-${r.id}`)).to.equal('done');
    expect(await chain(r.id)).to.deep.equal([
      [null, 'submitted', 'user'],
      ['submitted', 'approved', 'system'],
      ['approved', 'issuing', 'system'],
      ['issuing', 'issued', 'system'],
    ]);
  });

  it('R11: a vendor-borne request the BD approves reads submitted -> pending_approval -> approved -> issuing -> issued', async () => {
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor' });
    const r = (await as(w.A.po.token).post('/v1/issuance-requests', { templateId: t.id, accountIds: [w.A.account] })).body;
    await workers.watcher.completion(`issuance.route-${r.id}`);
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/approve`)).status).to.equal(200);
    expect(await workers.watcher.completion(`issuance.issue-${r.id}`)).to.equal('done');
    expect(await chain(r.id)).to.deep.equal([
      [null, 'submitted', 'user'],
      ['submitted', 'pending_approval', 'system'],
      ['pending_approval', 'approved', 'user'],
      ['approved', 'issuing', 'system'],
      ['issuing', 'issued', 'system'],
    ]);
  });

  it('R9 R11: one account deactivated before issuance: ... -> issuing -> issued_with_failures, and its reservation comes back', async () => {
    const r = await pending([w.A.account, w.A.account2]);
    await as(w.A.pa.token).post(`/v1/accounts/${w.A.account2}/deactivate`, { reason: 'closed' });
    await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/approve`);
    expect(await workers.watcher.completion(`issuance.issue-${r.id}`)).to.equal('done');
    const c = await chain(r.id);
    expect(c.slice(-2)).to.deep.equal([['approved', 'issuing', 'system'], ['issuing', 'issued_with_failures', 'system']]);
    const [claims] = await harness.ds.query(`SELECT count(*)::int AS n FROM template_account_claims WHERE request_id = $1`, [r.id]);
    expect(claims.n).to.equal(1); // the issued account keeps its claim; the failed one's came back
  });

  it('R9 R11: rejected by the BD: submitted -> pending_approval -> rejected (by the BD, with the reason)', async () => {
    const r = await pending();
    await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/reject`, { reason: 'not this quarter' });
    expect(await chain(r.id)).to.deep.equal([[null, 'submitted', 'user'], ['submitted', 'pending_approval', 'system'], ['pending_approval', 'rejected', 'user']]);
  });

  it('R9 R11: cancelled by the partner while pending: ... -> cancelled; a second cancel is 409 invalid_transition naming what is allowed', async () => {
    const r = await pending();
    expect((await as(w.A.pa.token).post(`/v1/issuance-requests/${r.id}/cancel`)).status).to.equal(200);
    expect(await chain(r.id)).to.deep.equal([[null, 'submitted', 'user'], ['submitted', 'pending_approval', 'system'], ['pending_approval', 'cancelled', 'user']]);
    const again = await as(w.A.pa.token).post(`/v1/issuance-requests/${r.id}/cancel`);
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('invalid_transition');
    expect(again.body.error.details).to.deep.equal({ from: 'cancelled', to: 'cancelled', allowed: [] });
    expect((await chain(r.id)).length).to.equal(3);
  });

  it('R9 R11: no decision within the window: ... -> expired, by the system', async () => {
    // A worker process with a one-second window, alone (the window is its configuration).
    await workers.stop();
    const prefix = `e${randomUUID().slice(0, 8)}`;
    const watcher = await JobWatcher.start(prefix);
    const quick = await startWorkerProcess(prefix, { APPROVAL_WINDOW_SECONDS: '1' });
    try {
      const t = await createTemplate(w.A.pa, { costBearer: 'vendor' });
      const r = await submit(t.id, { accountIds: [w.A.account] });
      expect(await watcher.completion(`issuance.expire-${r.id}`)).to.equal('done');
      const c = await chain(r.id);
      expect(c[0]).to.deep.equal([null, 'submitted', 'user']);
      expect(c.slice(1)).to.deep.equal([['submitted', 'pending_approval', 'system'], ['pending_approval', 'expired', 'system']]);
    } finally {
      await quick.stop();
      await watcher.close();
      await workers.start();
    }
  });

  it('R11 R31: an offline request: submitted -> approved -> issued when its partner generates the codes (by the partner)', async () => {
    const t = await createTemplate(w.A.po, { costBearer: 'partner' });
    const r = await submit(t.id, { codeCount: 2 });
    await workers.watcher.completion(`issuance.route-${r.id}`);
    expect((await as(w.A.po.token).post(`/v1/issuance-requests/${r.id}/activation-codes`)).status).to.equal(201);
    expect(await chain(r.id)).to.deep.equal([[null, 'submitted', 'user'], ['submitted', 'approved', 'system'], ['approved', 'issued', 'user']]);
  });
});
