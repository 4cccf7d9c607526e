import { expect } from 'chai';
import { Queue } from 'bullmq';
import { harness, requireEnv } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { startInProcessWorkers } from '../support/jobs';
import { insertCoupon, type CouponSpec } from '../support/coupons-world';

const DAY = 86_400_000;

/** Another coupon of tree A's `account`, like the world's couponD. */
const coupon = (w: World, spec: CouponSpec = {}) => insertCoupon(w.A.couponD, w.A.account, { billingModes: ['payg'], ...spec });

describe('R13 R14 R25 the wallet, the ledger and the expiry sweep', () => {
  let w: World;
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });
  const ids = async (token: string, query = '') => {
    const res = await as(token).get(`/v1/coupons${query}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.items.map((c: { id: string }) => c.id) as string[];
  };

  it('R3 R13: the account\'s owner and finance user see its coupons; a member may not (403); the issuing partner sees them too', async () => {
    expect(await ids(w.A.ao.token)).to.deep.equal([w.A.couponD]);
    expect(await ids(w.A.af.token)).to.deep.equal([w.A.couponD]);
    const member = await as(w.A.am.token).get('/v1/coupons');
    expect(member.status).to.equal(403);
    expect(member.body.error.code).to.equal('forbidden');
    expect(await ids(w.A.pa.token, `?accountId=${w.A.account}`)).to.deep.equal([w.A.couponD]);
    expect(await ids(w.A.pa.token, `?accountId=${w.B.account}`)).to.deep.equal([]);
    expect(await ids(w.B.ao.token)).to.deep.equal([w.B.couponD]);
  });

  it('R14 R15: the wallet filters by status, by the product a coupon can cover, and by expiry', async () => {
    const cvm = await coupon(w, { productCodes: ['cvm'], validUntil: new Date(Date.now() + 5 * DAY) });
    const mysql = await coupon(w, { productCodes: ['mysql'], validUntil: new Date(Date.now() + 60 * DAY) });
    const forCvm = await ids(w.A.ao.token, '?product=cvm');
    expect(forCvm).to.include.members([cvm, w.A.couponD]); // the world's coupon is general
    expect(forCvm).to.not.include(mysql);
    expect(await ids(w.A.ao.token, `?expiresBefore=${encodeURIComponent(new Date(Date.now() + 10 * DAY).toISOString())}`)).to.deep.equal([cvm]);
    expect(await ids(w.A.ao.token, '?status=expired')).to.deep.equal([]);
    const one = (await as(w.A.ao.token).get(`/v1/coupons/${cvm}`)).body;
    expect(one).to.deep.include({ status: 'unused', balance: '5000', currency: 'USD' });
    expect(one.scope.productCodes).to.deep.equal(['cvm']);
  });

  it('R25: a coupon\'s ledger lists time, type, amount and balance after; it downloads as CSV with the same rows', async () => {
    const ledger = await as(w.A.af.token).get(`/v1/coupons/${w.A.couponD}/ledger`);
    expect(ledger.status).to.equal(200);
    expect(ledger.body.items).to.have.length(1);
    expect(ledger.body.items[0]).to.deep.include({ type: 'issue', amount: '5000', balanceAfter: '5000', orderId: null, billId: null });
    const csv = await call('GET', `/v1/coupons/${w.A.couponD}/ledger.csv`, { token: w.A.af.token });
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).to.include(`coupon-${w.A.couponD}-ledger.csv`);
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).to.equal('at,type,amount,balanceAfter,currency,orderId,billId');
    expect(lines[1]).to.equal(`${ledger.body.items[0].at},issue,5000,5000,USD,,`);
    expect((await call('GET', `/v1/coupons/${w.A.couponD}/ledger.csv`, { token: w.B.af.token })).status).to.equal(404);
    expect((await call('GET', `/v1/coupons/${w.A.couponD}/ledger.csv`, { token: w.A.am.token })).status).to.equal(404);
  });

  it('R14 R25 R26: the sweep expires coupons whose window has closed, writing off their balance by an expire row; a rerun changes nothing', async () => {
    const past = await coupon(w, { validFrom: new Date(Date.now() - 10 * DAY), validUntil: new Date(Date.now() - 1000), balance: 1234 });
    const live = await coupon(w, { validUntil: new Date(Date.now() + DAY) });
    const workers = await startInProcessWorkers();
    const queue = new Queue('coupons', { connection: { url: requireEnv('REDIS_URL') }, prefix: workers.prefix });
    try {
      await queue.add('coupons.expire-sweep', {}, { jobId: 'sweep-1' });
      expect(await workers.watcher.completion('sweep-1')).to.equal('done');
      await queue.add('coupons.expire-sweep', {}, { jobId: 'sweep-2' });
      expect(await workers.watcher.completion('sweep-2')).to.equal('done');
    } finally {
      await queue.close();
      await workers.close();
    }
    const rows = await harness.ds.query(
      `SELECT c.id, c.status, c.balance::text, sum(l.amount)::text AS ledger, count(*) FILTER (WHERE l.type = 'expire')::int AS expires
         FROM coupons c JOIN coupon_ledger l ON l.tenant_id = c.tenant_id AND l.coupon_id = c.id
        WHERE c.id = ANY($1::uuid[]) GROUP BY c.id, c.status, c.balance`,
      [[past, live]],
    );
    const byId = Object.fromEntries(rows.map((r: { id: string }) => [r.id, r]));
    expect(byId[past]).to.deep.include({ status: 'expired', balance: '0', ledger: '0', expires: 1 });
    expect(byId[live]).to.deep.include({ status: 'unused', balance: '5000', ledger: '5000', expires: 0 });
    const hist = (await as(w.A.ao.token).get(`/v1/coupons/${past}/history`)).body.items;
    expect(hist.map((h: { action: string }) => h.action)).to.include('expired');
  });
});
