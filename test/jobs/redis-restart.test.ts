import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Queue, QueueEvents } from 'bullmq';
import { harness, requireEnv } from '../support/harness';
import { openQueues } from '../../src/jobs/queues';
import { OutboxRelay } from '../../src/jobs/relay';
import { logger } from '../../src/logger';
import { as } from '../support/http';
import { buildWorld } from '../support/world';
import { completionOf, startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { PrivateRedis } from '../support/private-redis';

describe('R10 a restarted Redis loses nothing and doubles nothing', () => {
  let redis: PrivateRedis;
  let worker: WorkerProcess | undefined;
  beforeEach(async () => {
    redis = await PrivateRedis.start();
    await harness.ds.query(`UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL`); // earlier files' intents
  });
  afterEach(async () => {
    await worker?.stop();
    await redis.stop();
  });

  it('R10: intents committed while Redis is down wait in the outbox and are delivered once it is back', async () => {
    const w = await buildWorld(harness.ds);
    const prefix = `r${randomUUID().slice(0, 8)}`;
    worker = await startWorkerProcess(prefix, { REDIS_URL: redis.url });
    await redis.kill();
    expect((await as(w.admin.token).post(`/v1/partners/${w.A.partner}/deactivate`, { reason: 'r' })).status).to.equal(200);
    const jobId = `tenancy.deactivate-partner-tree-${w.A.partner}`;
    const [row] = await harness.ds.query(`SELECT sent_at FROM outbox WHERE job_id = $1`, [jobId]);
    expect(row.sent_at).to.equal(null);
    await redis.up();
    const events = new QueueEvents('tenancy', { connection: { url: redis.url }, prefix });
    await events.waitUntilReady();
    // The job may already have run while the listener connected: then it is in the completed set.
    const done = completionOf(events, jobId);
    const queue = new Queue('tenancy', { connection: { url: redis.url }, prefix });
    const already = await (await queue.getJob(jobId))?.isCompleted();
    if (!already) await done;
    const [after] = await harness.ds.query(`SELECT status FROM partners WHERE id = $1`, [w.A.reseller]);
    expect(after.status).to.equal('deactivated');
    const [c] = await harness.ds.query(`SELECT count(*)::int AS n FROM job_completions WHERE job_id = $1`, [jobId]);
    expect(c.n).to.equal(1);
    await queue.close();
    await events.close();
  });

  it('R10: a job waiting in Redis survives a Redis crash and runs exactly once after the restart', async () => {
    const w = await buildWorld(harness.ds);
    const prefix = `r${randomUUID().slice(0, 8)}`;
    expect((await as(w.admin.token).post(`/v1/partners/${w.A.partner}/deactivate`, { reason: 'r' })).status).to.equal(200);
    const jobId = `tenancy.deactivate-partner-tree-${w.A.partner}`;
    // The real relay, in this process, with no worker running: the job is added and marked sent.
    const producer = redis.client();
    const queues = openQueues(producer, prefix);
    const relay = new OutboxRelay(harness.ds, queues, logger, { databaseUrl: requireEnv('DATABASE_URL'), pollMs: 60_000 });
    expect(await relay.drain()).to.equal(1);
    await Promise.all([...queues.values()].map((q) => q.close()));
    producer.disconnect();
    await redis.kill();
    await redis.up();
    const events = new QueueEvents('tenancy', { connection: { url: redis.url }, prefix });
    await events.waitUntilReady();
    const queue = new Queue('tenancy', { connection: { url: redis.url }, prefix });
    expect(await queue.getJobCountByTypes('waiting')).to.equal(1);
    const done = completionOf(events, jobId);
    worker = await startWorkerProcess(prefix, { REDIS_URL: redis.url });
    expect(await done).to.equal('done');
    const [c] = await harness.ds.query(`SELECT count(*)::int AS n FROM job_completions WHERE job_id = $1`, [jobId]);
    expect(c.n).to.equal(1);
    expect(await queue.getJobCountByTypes('completed', 'waiting', 'active', 'failed')).to.equal(1);
    await queue.close();
    await events.close();
  });
});
