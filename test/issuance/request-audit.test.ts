import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { startInProcessWorkers } from '../support/jobs';
import { createTemplate, ensureProducts } from '../support/coupons-world';

/** R11: a request's history is every state change it went through, each with from and to. */
describe('R11 a request\'s audit chain has no gap', () => {
  let w: World;
  let workers: Awaited<ReturnType<typeof startInProcessWorkers>>;
  before(async () => {
    await ensureProducts();
    workers = await startInProcessWorkers();
  });
  after(async () => {
    await workers.close();
  });
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

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
});
