import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import type { QueueEvents } from 'bullmq';
import { harness, requireEnv } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { completionOf, queueEvents, startWorkerProcess, type WorkerProcess } from '../support/worker-process';

/**
 * R10 and the outbox: deactivating a distributor commits a job intent with the status change; the
 * cascade to its reseller is the job's effect. Workers run as real processes, killed for real.
 */
describe('R10 outbox: intents survive a stopped relay and killed workers, and run once', () => {
  let w: World;
  let prefix: string;
  let events: QueueEvents;
  let workers: WorkerProcess[] = [];
  const jobId = () => `tenancy.deactivate-partner-tree-${w.A.partner}`;

  beforeEach(async () => {
    w = await buildWorld(harness.ds);
    prefix = `t${randomUUID().slice(0, 8)}`; // each test its own BullMQ keyspace
    events = await queueEvents('tenancy', prefix);
    // Intents left by earlier test files are not this test's business: mark them relayed.
    await harness.ds.query(`UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL`);
  });
  afterEach(async () => {
    await Promise.all(workers.map((p) => p.stop()));
    workers = [];
    await events.close();
  });

  const deactivateDistributor = async () => {
    const res = await as(w.admin.token).post(`/v1/partners/${w.A.partner}/deactivate`, { reason: 'contract ended' });
    expect(res.status).to.equal(200);
  };
  const resellerStatus = async () =>
    (await harness.ds.query(`SELECT status FROM partners WHERE id = $1`, [w.A.reseller]))[0].status as string;
  const cascadeAuditRows = async () =>
    (await harness.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE object_id = $1 AND actor_kind = 'system'`, [w.A.reseller]))[0].n as number;
  const outboxRow = async () => (await harness.ds.query(`SELECT sent_at FROM outbox WHERE job_id = $1`, [jobId()]))[0];
  const completions = async () => (await harness.ds.query(`SELECT count(*)::int AS n FROM job_completions WHERE job_id = $1`, [jobId()]))[0].n as number;
  const start = async (env: Record<string, string> = {}) => {
    const p = await startWorkerProcess(prefix, env);
    workers.push(p);
    return p;
  };

  it('R10: an intent committed while the relay is down is delivered once the relay is back', async () => {
    await deactivateDistributor();
    expect(await outboxRow()).to.have.property('sent_at', null);
    expect(await resellerStatus()).to.equal('active');
    const done = completionOf(events, jobId());
    await start();
    expect(await done).to.equal('done');
    expect(await resellerStatus()).to.equal('deactivated');
    expect((await outboxRow()).sent_at).to.be.instanceOf(Date);
    expect(await completions()).to.equal(1);
    expect(await cascadeAuditRows()).to.equal(1);
  });

  it('R10: a relay killed after adding to BullMQ and before marking the intent sent re-adds the same job id; the job runs once', async () => {
    await deactivateDistributor();
    const crashed = await start({ FAILPOINTS: 'relay.after-add' });
    expect((await crashed.exited).signal).to.equal('SIGKILL');
    expect(await outboxRow()).to.have.property('sent_at', null);
    const queue = new Queue('tenancy', { connection: { url: requireEnv('REDIS_URL') }, prefix });
    expect(await queue.getJob(jobId())).to.not.equal(undefined);
    const done = completionOf(events, jobId());
    await start();
    expect(await done).to.equal('done');
    expect((await outboxRow()).sent_at).to.be.instanceOf(Date);
    expect(await queue.getJobCountByTypes('completed', 'waiting', 'active', 'delayed', 'failed')).to.equal(1);
    await queue.close();
    expect(await completions()).to.equal(1);
    expect(await cascadeAuditRows()).to.equal(1);
  });

  it('R10: a worker killed inside the handler commits nothing, and the job runs again to completion', async () => {
    await deactivateDistributor();
    const crashed = await start({ FAILPOINTS: 'job.before-commit' });
    expect((await crashed.exited).signal).to.equal('SIGKILL');
    expect(await resellerStatus()).to.equal('active');
    expect(await completions()).to.equal(0);
    const done = completionOf(events, jobId());
    await start();
    expect(await done).to.equal('done');
    expect(await resellerStatus()).to.equal('deactivated');
    expect(await completions()).to.equal(1);
    expect(await cascadeAuditRows()).to.equal(1);
  });

  it('R10: a job delivered again after its handler committed (worker killed before acknowledging) is skipped', async () => {
    await deactivateDistributor();
    const crashed = await start({ FAILPOINTS: 'job.after-commit' });
    expect((await crashed.exited).signal).to.equal('SIGKILL');
    expect(await resellerStatus()).to.equal('deactivated');
    const redelivered = completionOf(events, jobId());
    await start();
    expect(await redelivered).to.equal('duplicate');
    expect(await completions()).to.equal(1);
    expect(await cascadeAuditRows()).to.equal(1);
  });

  it('R10: the same intent relayed twice (outbox replayed, BullMQ job gone) reaches the handler once', async () => {
    await deactivateDistributor();
    const first = completionOf(events, jobId());
    await start();
    expect(await first).to.equal('done');
    const queue = new Queue('tenancy', { connection: { url: requireEnv('REDIS_URL') }, prefix });
    await (await queue.getJob(jobId()))!.remove();
    await queue.close();
    const second = completionOf(events, jobId());
    await harness.ds.query(`UPDATE outbox SET sent_at = NULL WHERE job_id = $1`, [jobId()]);
    await harness.ds.query(`SELECT pg_notify('outbox', '')`);
    expect(await second).to.equal('duplicate');
    expect(await completions()).to.equal(1);
    expect(await cascadeAuditRows()).to.equal(1);
  });
});
