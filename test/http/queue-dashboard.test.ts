import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Queue } from 'bullmq';
import { harness } from '../support/harness';
import { buildWorld, type World } from '../support/world';
import { useWorkers } from '../support/jobs';
import { createApp } from '../../src/app';
import { openQueues } from '../../src/jobs/queues';

describe('queue operations: the Bull Board dashboard for platform admins', () => {
  let w: World;
  let server: Server;
  let base: string;
  let queues: Map<string, Queue>;
  const workers = useWorkers();
  before(async () => {
    w = await buildWorld(harness.ds);
    queues = openQueues(harness.redis, workers.prefix);
    server = createApp({ ds: harness.ds, redis: harness.redis, queues: [...queues.values()] }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await Promise.all([...queues.values()].map((q) => q.close()));
  });
  const get = (path: string, token?: string) => fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('R3: only a platform admin opens the dashboard: no token 401, any other role 403', async () => {
    expect((await get('/admin/queues')).status).to.equal(401);
    for (const p of [w.bd, w.A.pa, w.A.ao]) expect((await get('/admin/queues', p.token)).status, p.role).to.equal(403);
    const page = await get('/admin/queues', w.admin.token);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include('<html');
  });

  it('a failed job is listed there with its reason', async () => {
    const queue = queues.get('issuance')!;
    await queue.add('issuance.route', { tenantId: 'not-a-uuid' }, { jobId: 'broken-payload', attempts: 1 });
    // The worker refuses the payload as unrecoverable; the dashboard's API shows why.
    expect(await workers.watcher.failure('broken-payload')).to.match(/^bad payload/);
    const res = await get('/admin/queues/api/queues?activeQueue=issuance&status=failed&page=1&jobsPerPage=50', w.admin.token);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { queues: { name: string; jobs: { id: string; failedReason: string }[] }[] };
    const issuance = body.queues.find((q) => q.name === 'issuance')!;
    const job = issuance.jobs.find((j) => j.id === 'broken-payload')!;
    expect(job.failedReason).to.match(/^bad payload for issuance.route/);
  });
});
