import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { harness, requireEnv } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { JobWatcher } from '../support/jobs';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { bulkAccounts, createTemplate, ensureProducts } from '../support/coupons-world';

/**
 * R10 under faults, with worker processes killed for real: exactly one coupon and one `issue`
 * ledger row per (request, account), whatever happens to the worker or the delivery.
 */
describe('R10 issuance survives killed workers, duplicate deliveries and the approval window', () => {
  let w: World;
  let prefix: string;
  let jobs: JobWatcher;
  let procs: WorkerProcess[] = [];
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
    prefix = `f${randomUUID().slice(0, 8)}`;
    jobs = await JobWatcher.start(prefix);
    await harness.ds.query(`UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL`); // earlier files' intents
  });
  afterEach(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    procs = [];
    await jobs.close();
  });
  const worker = async (env: Record<string, string> = {}) => {
    const p = await startWorkerProcess(prefix, { ISSUANCE_CHUNK: '500', ...env });
    procs.push(p);
    return p;
  };
  const counts = async (requestId: string) => {
    const [c] = await harness.ds.query(
      `SELECT (SELECT count(*) FROM coupons WHERE request_id = $1)::int AS coupons,
              (SELECT count(DISTINCT account_id) FROM coupons WHERE request_id = $1)::int AS accounts,
              (SELECT count(*) FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
                WHERE c.request_id = $1 AND l.type = 'issue')::int AS ledger,
              (SELECT count(*) FROM issuance_items i WHERE i.request_id = $1 AND EXISTS (
                 SELECT 1 FROM coupons c WHERE c.tenant_id = i.tenant_id AND c.request_id = i.request_id AND c.account_id = i.account_id))::int AS items`,
      [requestId],
    );
    return c as { coupons: number; accounts: number; ledger: number; items: number };
  };
  const submit = async (costBearer: 'vendor' | 'partner', n: number) => {
    const t = await createTemplate(w.A.pa, { costBearer });
    const ids = await bulkAccounts(w.A.partner, w.A.partner, n);
    const res = await as(w.A.pa.token).post('/v1/issuance-requests', { templateId: t.id, accountIds: ids });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as string;
  };

  it('R10: a worker SIGKILLed mid-issuance of 2,000 accounts, then restarted, leaves exactly 2,000 coupons and 2,000 issue rows', async () => {
    const id = await submit('partner', 2000);
    const crashed = await worker({ FAILPOINTS: 'issuance.after-chunk' });
    expect((await crashed.exited).signal).to.equal('SIGKILL');
    const partial = await counts(id);
    expect(partial.coupons).to.equal(500); // one chunk committed, then the kill
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${id}`)).body).to.deep.include({ status: 'issuing' });
    await worker();
    expect(await jobs.completion(`issuance.issue-${id}`)).to.equal('done');
    expect(await counts(id)).to.deep.equal({ coupons: 2000, accounts: 2000, ledger: 2000, items: 2000 });
    const done = (await as(w.A.pa.token).get(`/v1/issuance-requests/${id}`)).body;
    expect(done.status).to.equal('issued');
    expect(done.progress).to.deep.equal({ issued: 2000, failed: 0, total: 2000 });
  });

  it('R10: the same issuance delivered twice at once, to two worker processes, still makes exactly 2,000 coupons', async () => {
    const id = await submit('vendor', 2000);
    await worker();
    await worker();
    await jobs.completion(`issuance.route-${id}`);
    // A second delivery of the same work under another job id, racing the real one.
    const queue = new Queue('issuance', { connection: { url: requireEnv('REDIS_URL') }, prefix });
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${id}/approve`)).status).to.equal(200);
    await queue.add('issuance.issue', { tenantId: w.A.partner, requestId: id }, { jobId: `issuance.issue-${id}-again` });
    const outcomes = await Promise.all([jobs.completion(`issuance.issue-${id}`), jobs.completion(`issuance.issue-${id}-again`)]);
    await queue.close();
    expect(outcomes).to.include('done');
    expect(await counts(id)).to.deep.equal({ coupons: 2000, accounts: 2000, ledger: 2000, items: 2000 });
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${id}`)).body.status).to.equal('issued');
  });

  it('R10: an issuance job redelivered after it completed is a no-op', async () => {
    const id = await submit('partner', 300);
    await worker();
    expect(await jobs.completion(`issuance.issue-${id}`)).to.equal('done');
    const queue = new Queue('issuance', { connection: { url: requireEnv('REDIS_URL') }, prefix });
    await (await queue.getJob(`issuance.issue-${id}`))!.remove();
    await harness.ds.query(`UPDATE outbox SET sent_at = NULL WHERE job_id = $1`, [`issuance.issue-${id}`]);
    await harness.ds.query(`SELECT pg_notify('outbox', '')`);
    // The same job id completes a second time: that second outcome is the replay's.
    const replay = await jobs.completion(`issuance.issue-${id}`, 2);
    await queue.close();
    expect(replay).to.equal('duplicate');
    expect(await counts(id)).to.deep.equal({ coupons: 300, accounts: 300, ledger: 300, items: 300 });
  });

  it('R9: a vendor-borne request with no decision inside the approval window expires by a delayed job; nothing is issued', async () => {
    const t = await createTemplate(w.A.pa, { costBearer: 'vendor', issueLimit: 'once' });
    await worker({ APPROVAL_WINDOW_SECONDS: '1' });
    const res = await as(w.A.pa.token).post('/v1/issuance-requests', { templateId: t.id, accountIds: [w.A.account] });
    expect(await jobs.completion(`issuance.expire-${res.body.id}`)).to.equal('done');
    const r = (await as(w.A.pa.token).get(`/v1/issuance-requests/${res.body.id}`)).body;
    expect(r.status).to.equal('expired');
    expect(Date.parse(r.expiresAt) - Date.parse(r.createdAt)).to.be.within(1000, 5000);
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${res.body.id}/approve`)).status).to.equal(409);
    expect((await counts(res.body.id)).coupons).to.equal(0);
    // The once-claim came back with the expiry.
    expect((await as(w.A.pa.token).post('/v1/issuance-requests', { templateId: t.id, accountIds: [w.A.account] })).status).to.equal(201);
  });
});
