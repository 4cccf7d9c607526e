import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Queue, type Job } from 'bullmq';
import { harness, requireEnv } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { useWorkers } from '../support/jobs';
import { insertVoucher } from '../support/vouchers-world';
import { bulkAccounts, ensureProducts, insertCoupon, ledgerMismatches } from '../support/coupons-world';
import { billingCycle } from '../../src/billing/billing-cycle.job';
import { logger } from '../../src/logger';

const DAY = 86_400_000;

describe('R20 R23 R24 pay-as-you-go: usage, the billing cycle, automatic coupons, overdue bills', () => {
  let w: World;
  const workers = useWorkers();
  before(async () => {
    await ensureProducts();
  });
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  // A day of its own per test (in the past, after 1970, distinct), so cycles of different tests never mix.
  const first = Math.floor(Date.now() / DAY) * DAY - (8000 + Math.floor(Math.random() * 4000)) * DAY;
  let days = 0;
  const day = () => new Date(first - ++days * 2 * DAY);
  const usage = (accountId: string, productCode: string, amount: string, at: Date, usageId = randomUUID()) => ({
    usageId, accountId, productCode, currency: 'USD', amount, occurredAt: at.toISOString(),
  });
  const runCycle = async (start: Date) => {
    const res = await as(w.admin.token).post('/v1/billing-cycles', { period: 'daily', periodStart: start.toISOString() });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(await workers.watcher.completion(`billing.cycle-${res.body.id}`)).to.equal('done');
    return res.body.id as string;
  };

  it('R23: coupons apply automatically: product-limited first, then general by earliest expiry; several cover one bill; excluded products pay cash', async () => {
    const start = day();
    const validFrom = new Date(start.getTime() - DAY);
    const cvmOnly = await insertCoupon(w.A.couponD, w.A.account, { balance: 3000, productCodes: ['cvm'], validFrom, validUntil: new Date(Date.now() + 90 * DAY) });
    const oneTime = await insertCoupon(w.A.couponD, w.A.account, { balance: 500, usage: 'one_time', validFrom, validUntil: new Date(Date.now() + 10 * DAY) });
    const general = await insertCoupon(w.A.couponD, w.A.account, { balance: 10000, validFrom, validUntil: new Date(Date.now() + 60 * DAY) });
    const at = new Date(start.getTime() + 3600_000);
    const dup = randomUUID();
    const ingest = await as(w.admin.token).post('/v1/usage', {
      records: [
        usage(w.A.account, 'cvm', '2000', at, dup), usage(w.A.account, 'cvm', '1500', at), usage(w.A.account, 'cvm', '2000', at, dup),
        usage(w.A.account, 'mysql', '4000', at), usage(w.A.account, 'support', '700', at),
      ],
    });
    expect(ingest.body).to.deep.equal({ received: 5, accepted: 4, duplicates: 1 });
    const cycle = await runCycle(start);
    expect((await as(w.admin.token).get(`/v1/billing-cycles/${cycle}`)).body).to.deep.include({ status: 'done', progress: { done: 3, total: 3 } });

    // The world's own fixture bill is not this cycle's.
    const bills = (await as(w.A.af.token).get(`/v1/bills?accountId=${w.A.account}`)).body.items.filter((b: { id: string }) => b.id !== w.A.billD);
    const byProduct = Object.fromEntries(bills.map((b: { productCode: string }) => [b.productCode, b]));
    expect(byProduct.cvm).to.deep.include({ amount: '3500', couponDeduction: '3500', cashDue: '0', status: 'unpaid' });
    expect(byProduct.mysql).to.deep.include({ amount: '4000', couponDeduction: '4000', cashDue: '0' });
    expect(byProduct.support).to.deep.include({ amount: '700', couponDeduction: '0', cashDue: '700' });
    // R25: which coupons paid each bill is the ledger's `deduct` rows carrying the bill's id.
    const paid = await harness.ds.query(
      `SELECT b.product_code, l.coupon_id, (-l.amount)::text AS amount FROM coupon_ledger l JOIN bills b ON b.tenant_id = l.tenant_id AND b.id = l.bill_id
        WHERE b.cycle_id = $1 AND l.type = 'deduct' ORDER BY b.product_code, l.amount`,
      [cycle],
    );
    expect(paid).to.deep.equal([
      { product_code: 'cvm', coupon_id: cvmOnly, amount: '3000' },
      { product_code: 'cvm', coupon_id: oneTime, amount: '500' },
      { product_code: 'mysql', coupon_id: general, amount: '4000' },
    ]);
    // R24: the statement names them, line by line.
    const st = await as(w.A.af.token).get(`/v1/accounts/${w.A.account}/statement?period=daily&date=${start.toISOString().slice(0, 10)}`);
    const lines = Object.fromEntries(st.body.lines.map((l: { products: string; coupons: unknown }) => [l.products, l.coupons]));
    expect(lines).to.deep.equal({
      cvm: [{ couponId: cvmOnly, amount: '3000' }, { couponId: oneTime, amount: '500' }].sort((a, b) => (a.couponId < b.couponId ? -1 : 1)),
      mysql: [{ couponId: general, amount: '4000' }],
      support: [],
    });
    const coupons = await harness.ds.query(`SELECT id, balance::text, status FROM coupons WHERE id = ANY($1::uuid[]) ORDER BY balance`, [[cvmOnly, oneTime, general]]);
    expect(Object.fromEntries(coupons.map((c: { id: string; balance: string; status: string }) => [c.id, `${c.balance}/${c.status}`]))).to.deep.equal({
      [cvmOnly]: '0/used', [oneTime]: '0/used', [general]: '6000/unused',
    });
    expect(await ledgerMismatches([cvmOnly, oneTime, general])).to.deep.equal([]);
    expect((await as(w.A.am.token).get(`/v1/bills?accountId=${w.A.account}`)).status).to.equal(403); // R3: never bills
  });

  it('R23 R32: a voucher shared by two accounts pays both their bills in one cycle, out of one balance', async () => {
    const start = day();
    const { voucher } = await insertVoucher({
      tenantId: w.A.partner, grantedBy: w.admin.id, madeBy: w.A.pa.id, holders: [w.A.account, w.A.account2], granted: 5000, faceValue: 5000,
      validFrom: new Date(start.getTime() - DAY), billingModes: ['payg'], scenarios: [],
    });
    const at = new Date(start.getTime() + 1000);
    await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, 'cvm', '3000', at), usage(w.A.account2, 'cvm', '4000', at)] });
    const cycle = await runCycle(start);
    const bills = await harness.ds.query(`SELECT account_id, coupon_deduction::text AS d, cash_due::text AS cash FROM bills WHERE cycle_id = $1 ORDER BY account_id`, [cycle]);
    const mine = bills.filter((b: { account_id: string }) => [w.A.account, w.A.account2].includes(b.account_id));
    expect(mine.reduce((sum: bigint, b: { d: string }) => sum + BigInt(b.d), 0n)).to.equal(5000n); // never more than the one balance
    expect(mine.reduce((sum: bigint, b: { cash: string }) => sum + BigInt(b.cash), 0n)).to.equal(2000n);
    expect((await harness.ds.query(`SELECT balance::text, status FROM coupons WHERE id = $1`, [voucher]))[0]).to.deep.equal({ balance: '0', status: 'used' });
    const spent = await harness.ds.query(`SELECT account_id, (-amount)::text AS amount FROM coupon_ledger WHERE coupon_id = $1 AND type = 'deduct' ORDER BY account_id`, [voucher]);
    expect(spent.map((r: { account_id: string }) => r.account_id).sort()).to.deep.equal([w.A.account, w.A.account2].sort());
    expect(await ledgerMismatches([voucher])).to.deep.equal([]);
  });

  it('R23: running a cycle twice changes nothing', async () => {
    const start = day();
    const general = await insertCoupon(w.A.couponD, w.A.account, { balance: 10000, validFrom: new Date(start.getTime() - DAY) });
    await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, 'cvm', '1200', new Date(start.getTime() + 1000))] });
    const cycle = await runCycle(start);
    const snapshot = async () =>
      harness.ds.query(
        `SELECT (SELECT json_agg(b ORDER BY b.id) FROM bills b WHERE cycle_id = $1) AS bills,
                (SELECT count(*)::int FROM coupon_ledger WHERE coupon_id = $2) AS ledger, (SELECT balance::text FROM coupons WHERE id = $2) AS balance`,
        [cycle, general],
      );
    const before = await snapshot();
    const queue = new Queue('billing', { connection: { url: requireEnv('REDIS_URL') }, prefix: workers.prefix });
    await queue.add('billing.cycle', { cycleId: cycle }, { jobId: `again-${cycle}` });
    expect(await workers.watcher.completion(`again-${cycle}`)).to.equal('done');
    await queue.close();
    expect(await snapshot()).to.deep.equal(before);
    expect(before[0]).to.deep.include({ ledger: 2, balance: '8800' });
  });

  /** Five accounts of tree A with one 1000 coupon each and two usage lines (600 cvm, 700 mysql), and a cycle for them not yet run. */
  const fiveAccounts = async () => {
    const start = day();
    const accounts = [w.A.account, w.A.account2, ...(await bulkAccounts(w.A.partner, w.A.partner, 3))];
    const coupons: string[] = [];
    for (const a of accounts) coupons.push(await insertCoupon(w.A.couponD, a, { balance: 1000, validFrom: new Date(start.getTime() - DAY) }));
    const at = new Date(start.getTime() + 1000);
    await as(w.admin.token).post('/v1/usage', { records: accounts.flatMap((a) => [usage(a, 'cvm', '600', at), usage(a, 'mysql', '700', at)]) });
    const [{ id: cycle }] = await harness.ds.query(
      `INSERT INTO billing_cycles (period, period_start, period_end) VALUES ('daily', $1, $2) RETURNING id`,
      [start, new Date(start.getTime() + DAY)],
    );
    return { start, accounts, coupons, cycle: cycle as string };
  };
  /** R23 R26: each account billed exactly once, its coupon spent on cvm (600) then mysql (400), ledgers whole. */
  const expectBilledOnce = async (cycle: string, accounts: string[], coupons: string[]) => {
    const bills = await harness.ds.query(
      `SELECT account_id, product_code, amount::text, coupon_deduction::text AS deduction, cash_due::text AS cash FROM bills WHERE cycle_id = $1 ORDER BY account_id, product_code`,
      [cycle],
    );
    expect(bills).to.deep.equal(
      [...accounts].sort().flatMap((a) => [
        { account_id: a, product_code: 'cvm', amount: '600', deduction: '600', cash: '0' },
        { account_id: a, product_code: 'mysql', amount: '700', deduction: '400', cash: '300' },
      ]),
    );
    const ledger = await harness.ds.query(
      `SELECT coupon_id, array_agg(amount::text ORDER BY id) AS amounts FROM coupon_ledger WHERE coupon_id = ANY($1::uuid[]) GROUP BY coupon_id`,
      [coupons],
    );
    expect(ledger.map((l: { amounts: string[] }) => l.amounts)).to.deep.equal(coupons.map(() => ['1000', '-600', '-400']));
    expect(await ledgerMismatches(coupons)).to.deep.equal([]);
  };

  it('R23: a run cut short after a committed batch resumes: billed accounts are skipped, the rest billed once, progress counts both', async () => {
    const { start, accounts, coupons, cycle } = await fiveAccounts();
    // A worker that dies after its first batch: the job's progress report after it is where it stops.
    let reports = 0;
    const job = { attemptsMade: 0, opts: { attempts: 8 }, updateProgress: async () => { if (++reports > 1) throw new Error('worker killed'); } } as unknown as Job;
    let thrown: unknown;
    await billingCycle({ accountsPerBatch: 1, lanes: 1 })({ cycleId: cycle }, {
      ds: harness.ds, log: logger, job, complete: async () => { throw new Error('a cut run never completes'); },
    }).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.include('worker killed');
    expect(await harness.ds.query(`SELECT count(DISTINCT account_id)::int AS n FROM bills WHERE cycle_id = $1`, [cycle])).to.deep.equal([{ n: 1 }]);
    expect(await harness.ds.query(`SELECT bills_done, bills_total, status FROM billing_cycles WHERE id = $1`, [cycle]))
      .to.deep.equal([{ bills_done: 2, bills_total: 10, status: 'running' }]);

    // The cycle started again (its job delivered again) finishes the rest.
    const res = await as(w.admin.token).post('/v1/billing-cycles', { period: 'daily', periodStart: start.toISOString() });
    expect(res.body.id).to.equal(cycle);
    expect(await workers.watcher.completion(`billing.cycle-${cycle}`)).to.equal('done');
    await expectBilledOnce(cycle, accounts, coupons);
    expect((await as(w.admin.token).get(`/v1/billing-cycles/${cycle}`)).body).to.deep.include({ status: 'done', progress: { done: 10, total: 10 } });
  });

  it('R23: two deliveries of one cycle running at once bill every line exactly once', async () => {
    const { accounts, coupons, cycle } = await fiveAccounts();
    const job = { attemptsMade: 0, opts: { attempts: 8 }, updateProgress: async () => undefined } as unknown as Job;
    let completions = 0;
    const deliver = () =>
      billingCycle({ accountsPerBatch: 1, lanes: 2 })({ cycleId: cycle }, { ds: harness.ds, log: logger, job, complete: async () => void completions++ });
    await Promise.all([deliver(), deliver()]);
    expect(completions).to.equal(2); // run-job's completion row keeps one of them
    await expectBilledOnce(cycle, accounts, coupons);
    expect(await harness.ds.query(`SELECT bills_done, bills_total FROM billing_cycles WHERE id = $1`, [cycle])).to.deep.equal([{ bills_done: 10, bills_total: 10 }]);
  });

  it('R20: an overdue bill blocks coupons on the account\'s new purchases until a platform admin settles it', async () => {
    const start = day();
    const c = await insertCoupon(w.A.couponD, w.A.account, { balance: 5000 });
    await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, 'support', '300', new Date(start.getTime() + 1000))] });
    const cycle = await runCycle(start);
    const [bill] = await harness.ds.query(`SELECT id FROM bills WHERE cycle_id = $1 AND account_id = $2`, [cycle, w.A.account]);
    await harness.ds.query(`UPDATE bills SET due_at = now() - interval '1 second' WHERE id = $1`, [bill.id]);
    const queue = new Queue('billing', { connection: { url: requireEnv('REDIS_URL') }, prefix: workers.prefix });
    await queue.add('bills.overdue-sweep', {}, { jobId: `overdue-${bill.id}` });
    expect(await workers.watcher.completion(`overdue-${bill.id}`)).to.equal('done');
    await queue.close();
    expect((await as(w.A.af.token).get(`/v1/bills?accountId=${w.A.account}&status=overdue`)).body.items.map((b: { id: string }) => b.id)).to.deep.equal([bill.id]);

    const purchase = { currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '1000' }] };
    const quote = await as(w.A.af.token).post('/v1/checkout/quote?explain=true', purchase);
    expect(quote.body.applicable).to.deep.equal([]);
    expect(quote.body.refused.find((r: { couponId: string }) => r.couponId === c).code).to.equal('account_overdue');
    const refused = await call('POST', '/v1/orders', { token: w.A.af.token, body: { ...purchase, coupon: c }, headers: { 'idempotency-key': randomUUID() } });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.details.code).to.equal('account_overdue');
    expect((await as(w.A.pa.token).post(`/v1/bills/${bill.id}/settle`)).status).to.equal(403);
    expect((await as(w.admin.token).post(`/v1/bills/${bill.id}/settle`)).body.status).to.equal('paid');
    const ok = await call('POST', '/v1/orders', { token: w.A.af.token, body: { ...purchase, coupon: c }, headers: { 'idempotency-key': randomUUID() } });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
  });

  it('R24: the daily statement shows each bill and order with amount, coupon deduction (which coupons) and cash due, with totals; CSV quotes names', async () => {
    const start = day();
    const c = await insertCoupon(w.A.couponD, w.A.account, { balance: 1000, validFrom: new Date(start.getTime() - DAY) });
    await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, 'cvm', '2500', new Date(start.getTime() + 1000))] });
    await runCycle(start);
    const date = start.toISOString().slice(0, 10);
    const st = await as(w.A.af.token).get(`/v1/accounts/${w.A.account}/statement?period=daily&date=${date}`);
    expect(st.status, JSON.stringify(st.body)).to.equal(200);
    expect(st.body.lines).to.have.length(1);
    expect(st.body.lines[0]).to.deep.include({ kind: 'payg', products: 'cvm', amount: '2500', couponDeduction: '1000', cashDue: '1500' });
    expect(st.body.lines[0].coupons).to.deep.equal([{ couponId: c, amount: '1000' }]);
    expect(st.body.totals).to.deep.equal([{ currency: 'USD', amount: '2500', couponDeduction: '1000', cashDue: '1500' }]);
    // Prepaid orders appear on the statement of the day they were paid.
    const other = await insertCoupon(w.A.couponD, w.A.account, { balance: 300 });
    const month = new Date().toISOString().slice(0, 7);
    await call('POST', '/v1/orders', {
      token: w.A.af.token,
      body: { currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '800' }], coupon: other },
      headers: { 'idempotency-key': randomUUID() },
    });
    const monthly = await as(w.A.ao.token).get(`/v1/accounts/${w.A.account}/statement?period=monthly&date=${month}`);
    const prepaid = monthly.body.lines.filter((l: { kind: string; id: string }) => l.kind === 'prepaid' && l.id !== w.A.orderD);
    expect(prepaid).to.have.length(1);
    expect(prepaid[0]).to.deep.include({ amount: '800', couponDeduction: '300', cashDue: '500', coupons: [{ couponId: other, amount: '300' }] });
    expect((await as(w.A.am.token).get(`/v1/accounts/${w.A.account}/statement?period=daily&date=${date}`)).status).to.equal(403);
    expect((await as(w.B.af.token).get(`/v1/accounts/${w.A.account}/statement?period=daily&date=${date}`)).status).to.equal(404);
    // The partner's report per subaccount and template; as CSV a name with a comma and quotes stays one field.
    await as(w.A.pa.token).patch(`/v1/accounts/${w.A.account}`, { name: 'Acme, "Intl"' });
    const csv = await call('GET', `/v1/partners/${w.A.partner}/coupon-report?month=${month}&format=csv`, { token: w.A.pa.token });
    expect(csv.status).to.equal(200);
    const rows = String(csv.body).trim().split('\n');
    expect(rows[0]).to.equal('accountId,accountName,templateId,templateName,currency,deducted,returned,net');
    expect(rows.slice(1).some((l) => l.startsWith(`${w.A.account},"Acme, ""Intl""",`))).to.equal(true);
    const report = await as(w.A.pa.token).get(`/v1/partners/${w.A.partner}/coupon-report?month=${month}`);
    const mine = report.body.lines.filter((l: { accountId: string }) => l.accountId === w.A.account);
    // Deductions count in the month they were made: the bill's 1000 (applied by today's cycle run) and the order's 300.
    expect(mine.map((l: { net: string }) => l.net)).to.deep.equal(['1300']);
    expect((await as(w.A.af.token).get(`/v1/partners/${w.A.partner}/coupon-report?month=${month}`)).status).to.equal(404);
  });

  it('usage naming an unknown account is refused whole (422); only the platform admin ingests (403)', async () => {
    const at = new Date();
    const res = await as(w.admin.token).post('/v1/usage', { records: [usage(w.A.account, 'cvm', '1', at), usage(randomUUID(), 'cvm', '1', at)] });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('unknown_accounts');
    const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM usage_records WHERE account_id = $1 AND occurred_at = $2`, [w.A.account, at]);
    expect(n.n).to.equal(0);
    expect((await as(w.A.pa.token).post('/v1/usage', { records: [usage(w.A.account, 'cvm', '1', at)] })).status).to.equal(403);
  });
});
