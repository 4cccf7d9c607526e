import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { harness, requireEnv } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { useWorkers } from '../support/jobs';
import { ensureProducts, insertCoupon, ledgerMismatches } from '../support/coupons-world';
import { fingerprint } from '../support/db-fingerprint';
import { reconcileWith } from '../../src/reconcile/reconcile';

const DAY = 86_400_000;
const HOUR = 3_600_000;
// Days of this file's own (distinct, after 1970, in the past) so its cycles meet no other test's.
const FIRST = Math.floor(Date.now() / DAY) * DAY - (2000 + Math.floor(Math.random() * 5000)) * DAY;
let days = 0;
const freshDay = () => new Date(FIRST - ++days * 3 * DAY);

describe('R23 R26 every usage record is billed exactly once; a cycle that cannot succeed stops', () => {
  let w: World;
  const workers = useWorkers();
  before(async () => {
    await ensureProducts();
  });
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const usage = (accountId: string, amount: string, at: Date) => ({
    usageId: randomUUID(), accountId, productCode: 'cvm', currency: 'USD', amount, occurredAt: at.toISOString(),
  });
  const start = (period: 'hourly' | 'daily', at: Date) => as(w.admin.token).post('/v1/billing-cycles', { period, periodStart: at.toISOString() });
  const bills = async (accountId: string) =>
    harness.ds.query(`SELECT amount::text, coupon_deduction::text FROM bills WHERE account_id = $1 AND cycle_id <> (SELECT cycle_id FROM bills WHERE id = $2)`, [
      accountId, w.A.billD,
    ]);

  it('R23 R26: an hourly cycle and a daily cycle covering the same hour bill a usage record once: the second is 409 overlapping_period', async () => {
    const day = freshDay();
    const coupon = await insertCoupon(w.A.couponD, w.A.account, { balance: 5000, validFrom: new Date(day.getTime() - DAY) });
    const at = new Date(day.getTime() + 10 * HOUR + 60_000);
    expect((await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, '700', at)] })).status).to.equal(200);

    const hourly = await start('hourly', new Date(day.getTime() + 10 * HOUR));
    expect(hourly.status, JSON.stringify(hourly.body)).to.equal(202);
    expect(await workers.watcher.completion(`billing.cycle-${hourly.body.id}`)).to.equal('done');

    const before = await fingerprint(harness.ds);
    const daily = await start('daily', day);
    expect(daily.status).to.equal(409);
    expect(daily.body.error).to.deep.include({ code: 'overlapping_period', details: { cycleId: hourly.body.id } });
    // The other way round too: an hour inside a day that has its cycle.
    const otherDay = freshDay();
    const dayCycle = await start('daily', otherDay);
    expect(dayCycle.status).to.equal(202);
    const inside = await start('hourly', new Date(otherDay.getTime() + 5 * HOUR));
    expect(inside.status).to.equal(409);
    expect(inside.body.error.details).to.deep.equal({ cycleId: dayCycle.body.id });
    expect(await workers.watcher.completion(`billing.cycle-${dayCycle.body.id}`)).to.equal('done');
    // Starting the same period again is the same cycle, as before.
    expect((await start('hourly', new Date(day.getTime() + 10 * HOUR))).body.id).to.equal(hourly.body.id);

    expect(await bills(w.A.account)).to.deep.equal([{ amount: '700', coupon_deduction: '700' }]);
    const [c] = await harness.ds.query(`SELECT balance::text FROM coupons WHERE id = $1`, [coupon]);
    expect(c.balance).to.equal('4300');
    expect(await ledgerMismatches([coupon])).to.deep.equal([]);
    const after = await fingerprint(harness.ds);
    expect(after.bills).to.equal(before.bills);
    expect(after.coupon_ledger).to.equal(before.coupon_ledger);
  });

  it("R23: usage for a period whose cycle has started is refused (409 period_already_billed), since no cycle would bill it; nothing is stored", async () => {
    const day = freshDay();
    const cycle = await start('daily', day);
    expect(cycle.status).to.equal(202);
    expect(await workers.watcher.completion(`billing.cycle-${cycle.body.id}`)).to.equal('done');
    const late = usage(w.A.account, '300', new Date(day.getTime() + 2 * HOUR));
    const before = await fingerprint(harness.ds);
    const res = await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, '100', new Date(day.getTime() + DAY + 2 * HOUR)), late] });
    expect(res.status).to.equal(409);
    expect(res.body.error).to.deep.equal({
      code: 'period_already_billed',
      message: 'some records fall in a period whose billing cycle has started; none was stored',
      details: { records: [{ usageId: late.usageId, cycleId: cycle.body.id }] },
    });
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
  });

  it("R23: usage that would take an account's daily total of a product past what a bill holds is refused at ingest (422), nothing stored", async () => {
    const day = freshDay();
    const at = new Date(day.getTime() + HOUR);
    const huge = '999999999999999999';
    const ok = await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, huge, at)] });
    expect(ok.status).to.equal(200);
    const before = await fingerprint(harness.ds);
    // Ten records of the largest amount each pass; their sum (with the one stored) would not.
    const res = await as(w.admin.token).post('/v1/usage', { records: Array.from({ length: 10 }, () => usage(w.A.account, huge, at)) });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('usage_total_too_large');
    expect(res.body.error.details.lines).to.deep.equal([{ accountId: w.A.account, productCode: 'cvm', currency: 'USD', day: day.toISOString().slice(0, 10) }]);
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
  });

  it('R23: a cycle whose usage can never be billed stops as failed with the reason, retries no more, and the platform admin lists it', async () => {
    const day = freshDay();
    // Usage past bigint cannot come through ingest any more; a database restored from before that check can hold it.
    await harness.ds.query(
      `INSERT INTO usage_records (tenant_id, account_id, usage_id, product_code, currency, amount, occurred_at)
       SELECT a.tenant_id, a.id, 'huge-' || g, 'cvm', 'USD', 999999999999999999, $2 FROM accounts a, generate_series(1, 10) g WHERE a.id = $1`,
      [w.A.account, new Date(day.getTime() + HOUR)],
    );
    await harness.ds.query(
      `INSERT INTO usage_records (tenant_id, account_id, usage_id, product_code, currency, amount, occurred_at)
       SELECT tenant_id, id, 'fine', 'cvm', 'USD', 500, $2 FROM accounts WHERE id = $1`,
      [w.A.account2, new Date(day.getTime() + HOUR)],
    );
    const cycle = await start('daily', day);
    expect(cycle.status).to.equal(202);
    const reason = await workers.watcher.failure(`billing.cycle-${cycle.body.id}`);
    expect(reason).to.match(/cannot succeed: 22003/);
    const seen = await as(w.admin.token).get(`/v1/billing-cycles/${cycle.body.id}`);
    expect(seen.body.status).to.equal('failed');
    expect(seen.body.failure).to.match(/^22003: bigint out of range/);
    const failed = await as(w.admin.token).get('/v1/billing-cycles?status=failed');
    expect(failed.body.items.map((c: { id: string }) => c.id)).to.include(cycle.body.id);
    expect((await as(w.A.pa.token).get('/v1/billing-cycles?status=failed')).status).to.equal(403);
    // One attempt, not eight: BullMQ was told not to retry.
    const [job] = await harness.ds.query(`SELECT count(*)::int AS n FROM job_completions WHERE job_id = $1`, [`billing.cycle-${cycle.body.id}`]);
    expect(job.n).to.equal(0);
    const queue = new Queue('billing', { connection: { url: requireEnv('REDIS_URL') }, prefix: workers.prefix });
    try {
      expect((await queue.getJob(`billing.cycle-${cycle.body.id}`))?.attemptsMade).to.equal(1);
    } finally {
      await queue.close();
    }
    await harness.ds.query(`DELETE FROM usage_records WHERE account_id = ANY($1::uuid[])`, [[w.A.account, w.A.account2]]);
  });

  it('R23 R26: reconcile reports a usage record on two bills, and one left unbilled in a finished cycle', async () => {
    const day = freshDay();
    const at = new Date(day.getTime() + HOUR);
    await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, '700', at), usage(w.A.account2, '200', at)] });
    const cycle = await start('daily', day);
    expect(await workers.watcher.completion(`billing.cycle-${cycle.body.id}`)).to.equal('done');
    const clean = await harness.ds.transaction((em) => reconcileWith(em));
    expect(clean.usage!.mismatchCount).to.equal(0);
    // What outside testing saw: a second cycle (made before periods were checked) billed the same hour again; and a bill lost.
    const rollback = new Error('rollback: nothing of this may stay');
    const checked = harness.ds.transaction(async (em) => {
      await em.query(
        `WITH c AS (INSERT INTO billing_cycles (period, period_start, period_end, status) VALUES ('hourly', $2, $2::timestamptz + interval '1 hour', 'done') RETURNING id)
         INSERT INTO bills (tenant_id, account_id, partner_id, cycle_id, product_code, currency, period_start, period_end, amount, cash_due, due_at)
         SELECT a.tenant_id, a.id, a.partner_id, c.id, 'cvm', 'USD', $2, $2::timestamptz + interval '1 hour', 700, 700, $2 FROM accounts a, c WHERE a.id = $1`,
        [w.A.account, new Date(day.getTime() + HOUR)],
      );
      await em.query(`DELETE FROM bills WHERE account_id = $1 AND cycle_id = $2`, [w.A.account2, cycle.body.id]);
      const report = await reconcileWith(em);
      expect(report.ok).to.equal(false);
      const mine = report.usage!.mismatches.filter((m) => m.accountId === w.A.account || m.accountId === w.A.account2);
      expect(mine.map((m) => [m.accountId, m.bills, m.problem]).sort()).to.deep.equal(
        [[w.A.account, 2, 'billed_twice'], [w.A.account2, 0, 'not_billed']].sort(),
      );
      throw rollback;
    });
    await checked.then(
      () => expect.fail('the transaction must roll back'),
      (err: unknown) => {
        if (err !== rollback) throw err;
      },
    );
  });
});
