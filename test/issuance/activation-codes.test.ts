import { expect } from 'chai';
import { Queue } from 'bullmq';
import { harness, requireEnv } from '../support/harness';
import { as, call, type Reply, expectError } from '../support/http';
import { buildWorld, type Person, type World } from '../support/world';
import { useWorkers, type JobWatcher } from '../support/jobs';
import { bulkAccounts, createTemplate, ensureProducts, ledgerMismatches } from '../support/coupons-world';
import { accountUser, addCodeFixtures, codesOf } from '../support/codes-world';
import { fingerprint } from '../support/db-fingerprint';
import { attemptLimits } from '../../src/issuance/attempt-limits';
import { hasValidCheckDigit, luhnCheckDigit } from '../../src/issuance/activation-code';
import { first, nth } from '../../src/db/rows';

/** R31 end to end: offline requests, generation (shown once), activation, attempt limits, expiry. */
describe('R31 activation codes: offline requests, codes shown once, activation, attempt limits', () => {
  let w: World;
  const workers = useWorkers();
  let jobs: JobWatcher;
  const limits = () => attemptLimits(harness.redis);
  const ADDRESS = '127.0.0.1'; // every test request comes from here (the API trusts no proxy)

  before(async () => {
    await ensureProducts();
    jobs = workers.watcher;
  });
  after(async () => {
    await limits().reset({ address: ADDRESS });
  });
  beforeEach(async () => {
    await limits().reset({ address: ADDRESS });
    w = await buildWorld(harness.ds);
  });

  const submitCodes = async (by: Person, over: Record<string, unknown>, codeCount: number) => {
    const t = await createTemplate(by, over);
    const res = await as(by.token).post('/v1/issuance-requests', { templateId: t.id, codeCount });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    await jobs.completion(`issuance.route-${res.body.id}`);
    return { template: t, request: res.body as { id: string; kind: string; totalAccounts: number; totalFaceValue: string } };
  };
  const generate = (by: Person, requestId: string) => call('POST', `/v1/issuance-requests/${requestId}/activation-codes`, { token: by.token });
  const parseCsv = (res: Reply) => {
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    const [header, ...lines] = String(res.body).trim().split('\n');
    expect(header).to.equal('code,couponId,faceValue,currency,validUntil');
    return lines.map((l) => {
      const fields = l.split(',');
      expect(fields, l).to.have.length(5);
      const [code, couponId, faceValue, currency, validUntil] = fields as [string, string, string, string, string];
      return { code, digits: code.replace(/-/g, ''), couponId, faceValue, currency, validUntil };
    });
  };
  /** An approved partner-borne offline batch of `n` codes of `by`'s partner, generated. */
  const batch = async (by: Person, n: number, over: Record<string, unknown> = {}) => {
    const { request, template } = await submitCodes(by, { costBearer: 'partner', ...over }, n);
    return { request, template, codes: parseCsv(await generate(by, request.id)) };
  };
  const activate = (by: Person, accountId: string, code: string) =>
    call('POST', `/v1/accounts/${accountId}/coupon-activations`, { token: by.token, body: { code } });
  /** A Luhn-valid code that no batch holds (a guess). */
  const guess = () => {
    const payload = Array.from({ length: 15 }, () => Math.floor(Math.random() * 10)).join('');
    return payload + luhnCheckDigit(payload);
  };
  const couponRow = async (id: string) =>
    (await harness.ds.query(`SELECT status, account_id, balance::text, origin FROM coupons WHERE id = $1`, [id]))[0];
  const noIssueJob = async (requestId: string) =>
    expect((await harness.ds.query(`SELECT 1 FROM outbox WHERE job_id = $1`, [`issuance.issue-${requestId}`])).length).to.equal(0);

  it('R31 R5 R9: a partner-borne offline request reserves N x face value, is approved by routing, issues nothing until generated; the CSV comes once', async () => {
    expect((await call('PUT', `/v1/partners/${w.A.partner}/budgets/USD`, { token: w.admin.token, body: { amount: '100000' } })).status).to.equal(200);
    const { request } = await submitCodes(w.A.po, { costBearer: 'partner', faceValue: '5000' }, 3);
    expect(request).to.deep.include({ kind: 'activation_codes', totalAccounts: 3, totalFaceValue: '15000' });
    const routed = (await as(w.A.po.token).get(`/v1/issuance-requests/${request.id}`)).body;
    expect(routed.status).to.equal('approved');
    await noIssueJob(request.id);
    expect((await harness.ds.query(`SELECT 1 FROM coupons WHERE request_id = $1`, [request.id])).length).to.equal(0);
    expect((await as(w.A.pa.token).get(`/v1/partners/${w.A.partner}/budgets`)).body.items[0]).to.deep.include({ used: '15000' });

    const codes = parseCsv(await generate(w.A.po, request.id));
    expect(codes).to.have.length(3);
    expect(new Set(codes.map((c) => c.digits)).size).to.equal(3);
    for (const c of codes) {
      expect(c.code).to.match(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
      expect(hasValidCheckDigit(c.digits)).to.equal(true);
      expect(c).to.deep.include({ faceValue: '5000', currency: 'USD' });
      expect(new Date(c.validUntil).getTime()).to.be.greaterThan(Date.now() + 29 * 86_400_000);
    }
    const done = (await as(w.A.po.token).get(`/v1/issuance-requests/${request.id}`)).body;
    expect(done.status).to.equal('issued');
    expect(done.progress).to.deep.equal({ issued: 3, failed: 0, total: 3 });
    // Pending coupons hold nothing yet: balance 0 and no ledger row, so balance = sum of ledger (R26).
    for (const c of codes) expect(await couponRow(c.couponId)).to.deep.equal({ status: 'pending_activation', account_id: null, balance: '0', origin: 'activation_code' });
    expect((await harness.ds.query(`SELECT 1 FROM coupon_ledger WHERE coupon_id = ANY($1::uuid[])`, [codes.map((c) => c.couponId)])).length).to.equal(0);
    expectError(await generate(w.A.po, request.id), 409, 'codes_already_generated');
    const listed = (await as(w.A.pv.token).get(`/v1/issuance-requests/${request.id}/activation-codes`)).body.items;
    expect(listed.map((i: { couponId: string }) => i.couponId)).to.have.members(codes.map((c) => c.couponId));
    for (const i of listed) expect(i).to.deep.include({ state: 'pending', accountId: null, balance: '0', faceValue: '5000' });
    expect(JSON.stringify(listed)).to.not.include(first(codes).digits.slice(0, 8));
  });

  it('R31 R2 R9: a vendor-borne offline request waits for its BD: no codes before approval (409), then generated once', async () => {
    const { request } = await submitCodes(w.A.pa, { costBearer: 'vendor' }, 2);
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${request.id}`)).body.status).to.equal('pending_approval');
    expectError(await generate(w.A.pa, request.id), 409, 'invalid_transition');
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${request.id}/approve`)).body.status).to.equal('approved');
    await noIssueJob(request.id);
    expect(parseCsv(await generate(w.A.pa, request.id))).to.have.length(2);
    // A request to named accounts has no codes to generate; a viewer may not generate; another tenant reads 404.
    expectError(await generate(w.A.pa, w.A.reqD), 409, 'not_a_code_request');
    expectError(await generate(w.A.pv, request.id), 403, 'forbidden');
    expectError(await generate(w.B.pa, request.id), 404, 'not_found');
  });

  it('R31: codes are not stored in clear: no row of the tenant (codes, coupons, audit, outbox) holds a code', async () => {
    const { request, codes } = await batch(w.A.po, 5);
    const rows: { t: string; row: string }[] = await harness.ds.query(
      `SELECT 'activation_codes' AS t, to_jsonb(x)::text AS row FROM activation_codes x WHERE tenant_id = $1
       UNION ALL SELECT 'coupons', to_jsonb(x)::text FROM coupons x WHERE tenant_id = $1
       UNION ALL SELECT 'audit_events', to_jsonb(x)::text FROM audit_events x WHERE tenant_id = $1
       UNION ALL SELECT 'issuance_requests', to_jsonb(x)::text FROM issuance_requests x WHERE tenant_id = $1
       UNION ALL SELECT 'outbox', to_jsonb(x)::text FROM outbox x WHERE tenant_id = $1`,
      [w.A.partner],
    );
    const codeRows = rows.filter((r) => r.t === 'activation_codes' && r.row.includes(request.id));
    expect(codeRows).to.have.length(5);
    const hashes: { h: string }[] = await harness.ds.query(`SELECT encode(code_hash, 'hex') AS h FROM activation_codes WHERE request_id = $1`, [request.id]);
    for (const { h } of hashes) expect(h).to.match(/^[0-9a-f]{64}$/);
    for (const c of codes) {
      for (const r of rows) {
        expect(r.row, r.t).to.not.include(c.digits);
        expect(r.row, r.t).to.not.include(c.code);
        expect(r.row, r.t).to.not.include(c.digits.slice(0, 15));
        expect(r.row, r.t).to.not.include(Buffer.from(c.digits).toString('hex'));
      }
    }
  });

  it('R31 R25 R11: the account owner activates a code once: the coupon becomes the account\'s with its issue ledger row; again is 409 code_already_used', async () => {
    const { request, codes } = await batch(w.A.po, 2);
    const spaced = first(codes).digits.replace(/(\d{4})/g, '$1 ').trim();
    const res = await activate(w.A.ao, w.A.account, spaced);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ id: first(codes).couponId, accountId: w.A.account, status: 'unused', balance: '5000', origin: 'activation_code' });
    const ledger = (await as(w.A.af.token).get(`/v1/coupons/${first(codes).couponId}/ledger`)).body.items;
    expect(ledger).to.have.length(1);
    expect(ledger[0]).to.deep.include({ type: 'issue', amount: '5000', balanceAfter: '5000' });
    expect((await harness.ds.query(`SELECT account_id FROM coupon_ledger WHERE coupon_id = $1`, [first(codes).couponId]))[0].account_id).to.equal(w.A.account);
    expect(await ledgerMismatches(codes.map((c) => c.couponId))).to.deep.equal([]);
    const hist = (await as(w.A.ao.token).get(`/v1/coupons/${first(codes).couponId}/history`)).body.items;
    expect(hist.map((h: { action: string; to: string }) => [h.action, h.to])).to.deep.equal([['issued', 'pending_activation'], ['activated', 'unused']]);
    expect(hist[1]).to.deep.include({ actorUserId: w.A.ao.id, from: 'pending_activation' });
    // Once: the same code again, by the account's finance user or by another account, is already used.
    expectError(await activate(w.A.af, w.A.account, first(codes).code), 409, 'code_already_used');
    const other = await accountUser(w.A.partner, w.A.partner, w.A.account2);
    expectError(await activate(other, w.A.account2, first(codes).code), 409, 'code_already_used');
    // The finance user may activate; a member and the partner's users may not (R3).
    expectError(await activate(w.A.am, w.A.account, nth(codes, 1).code), 403, 'forbidden');
    expectError(await activate(w.A.pa, w.A.account, nth(codes, 1).code), 403, 'forbidden');
    expectError(await activate(w.A.af, w.A.account, nth(codes, 1).code), 409, 'batch_already_activated'); // one code of a batch per account
    expect((await activate(other, w.A.account2, nth(codes, 1).code)).status).to.equal(200);
    // R12: the partner sees which account activated each code, and when.
    const listed = (await as(w.A.po.token).get(`/v1/issuance-requests/${request.id}/activation-codes?state=activated`)).body.items;
    expect(listed.map((i: { accountId: string }) => i.accountId)).to.have.members([w.A.account, w.A.account2]);
    for (const i of listed) expect(i.activatedAt).to.be.a('string');
    expect((await as(w.A.po.token).get(`/v1/issuance-requests/${request.id}/activation-codes?state=pending`)).body.items).to.deep.equal([]);
  });

  it('R31: a mistyped check digit is 422 code_mistyped before any lookup and costs no attempt; badly formed input is 400', async () => {
    const { codes } = await batch(w.A.po, 1);
    const d = first(codes).digits;
    const wrongLast = d.slice(0, 15) + String((Number(d[15]) + 1) % 10);
    for (let i = 0; i < 8; i++) expectError(await activate(w.A.ao, w.A.account, wrongLast), 422, 'code_mistyped');
    // Two swapped neighbours (when they differ) are caught the same way.
    const i = [...d].findIndex((c, k) => k < 14 && c !== d[k + 1] && !['09', '90'].includes(c + d[k + 1]));
    if (i >= 0) expectError(await activate(w.A.ao, w.A.account, d.slice(0, i) + d[i + 1] + d[i] + d.slice(i + 2)), 422, 'code_mistyped');
    for (const bad of [d.slice(0, 15), `${d}0`, `${d.slice(0, 15)}x`, '']) {
      const res = await activate(w.A.ao, w.A.account, bad);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details[0].field).to.equal('body.code');
    }
    // None of that counted: the right code still activates (the limit is 5 wrong guesses).
    expect((await activate(w.A.ao, w.A.account, first(codes).code)).status).to.equal(200);
  });

  it('R31: brute force stops at the limit: after 5 wrong guesses the account gets 429 too_many_attempts with Retry-After, even with the right code, and nothing is written', async () => {
    const { codes } = await batch(w.A.po, 2);
    for (let i = 0; i < 5; i++) expectError(await activate(w.A.ao, w.A.account, guess()), 404, 'code_not_found');
    const before = await fingerprint(harness.ds);
    const refused = await activate(w.A.ao, w.A.account, first(codes).code);
    expectError(refused, 429, 'too_many_attempts');
    expect(refused.body.error.details.scope).to.equal('account');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).to.be.within(1, 900);
    // Per account, not per user: the finance user of the same account is refused as well.
    expectError(await activate(w.A.af, w.A.account, first(codes).code), 429, 'too_many_attempts');
    expectError(await activate(w.A.af, w.A.account, guess()), 429, 'too_many_attempts');
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    expect((await couponRow(first(codes).couponId)).status).to.equal('pending_activation');
    // Another account from the same address is under both of its limits.
    const other = await accountUser(w.A.partner, w.A.partner, w.A.account2);
    expect((await activate(other, w.A.account2, first(codes).code)).status).to.equal(200);
  });

  it('R31: wrong guesses are limited per client address too: 20 across accounts, then 429 for every account from it', async () => {
    const { codes } = await batch(w.A.po, 1);
    const accounts = await bulkAccounts(w.A.partner, w.A.partner, 5);
    const users = await Promise.all(accounts.map((a) => accountUser(w.A.partner, w.A.partner, a)));
    for (let u = 0; u < 4; u++) {
      for (let i = 0; i < 5; i++) expectError(await activate(nth(users, u), nth(accounts, u), guess()), 404, 'code_not_found');
    }
    const refused = await activate(nth(users, 4), nth(accounts, 4), first(codes).code);
    expectError(refused, 429, 'too_many_attempts');
    expect(refused.body.error.details.scope).to.equal('address');
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 900);
    await limits().reset({ address: ADDRESS });
    expect((await activate(nth(users, 4), nth(accounts, 4), first(codes).code)).status).to.equal(200);
  });

  it('R31 R26: a code activates once even when two accounts try at the same moment: one wins, the other gets code_already_used', async () => {
    const { codes } = await batch(w.A.po, 6);
    const accounts = await bulkAccounts(w.A.partner, w.A.partner, codes.length * 2);
    const users = await Promise.all(accounts.map((a) => accountUser(w.A.partner, w.A.partner, a)));
    await Promise.all(codes.map(async (c, k) => {
      const pair = [2 * k, 2 * k + 1];
      const replies = await Promise.all(pair.map((j) => activate(nth(users, j), nth(accounts, j), c.code)));
      const won = replies.filter((r) => r.status === 200);
      expect(won, JSON.stringify(replies.map((r) => r.body))).to.have.length(1);
      const lost = replies.find((r) => r.status !== 200)!;
      expectError(lost, 409, 'code_already_used');
      const winner = nth(accounts, nth(pair, replies.findIndex((r) => r.status === 200)));
      expect(await couponRow(c.couponId)).to.deep.include({ status: 'unused', account_id: winner, balance: '5000' });
    }));
    const ledger: { coupon_id: string; n: number }[] = await harness.ds.query(
      `SELECT coupon_id, count(*)::int AS n FROM coupon_ledger WHERE coupon_id = ANY($1::uuid[]) GROUP BY coupon_id`,
      [codes.map((c) => c.couponId)],
    );
    expect(ledger.map((l) => l.n)).to.deep.equal(codes.map(() => 1));
    expect(await ledgerMismatches(codes.map((c) => c.couponId))).to.deep.equal([]);
  });

  it('R31 R26: forced into the race (both past the lookup, both waiting at the update), still exactly one activation', async () => {
    const { codes } = await batch(w.A.po, 1);
    const c = first(codes);
    const other = await accountUser(w.A.partner, w.A.partner, w.A.account2);
    const holder = harness.ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT 1 FROM coupons WHERE id = $1 FOR UPDATE`, [c.couponId]);
      const replies = Promise.all([activate(w.A.ao, w.A.account, c.code), activate(other, w.A.account2, c.code)]);
      // Both requests are blocked on the row lock at their conditional update: wait for that state.
      for (;;) {
        const [{ n }] = await harness.ds.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE coupons c SET balance = c.face_value%'`,
        );
        if (n === 2) break;
      }
      await holder.commitTransaction();
      const statuses = (await replies).map((r) => r.status);
      expect(statuses.sort()).to.deep.equal([200, 409]);
      expect((await replies).find((r) => r.status === 409)!.body.error.code).to.equal('code_already_used');
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect((await harness.ds.query(`SELECT count(*)::int AS n FROM coupon_ledger WHERE coupon_id = $1`, [c.couponId]))[0].n).to.equal(1);
  });

  it('R31 R14: an expired code is 410 code_expired (no attempt lost); the sweep expires pending codes with no ledger row', async () => {
    const { request, codes } = await batch(w.A.po, 2);
    await harness.ds.query(
      `UPDATE coupons SET valid_from = now() - interval '2 days', valid_until = now() - interval '1 second' WHERE id = $1`,
      [first(codes).couponId],
    );
    for (let i = 0; i < 6; i++) expectError(await activate(w.A.ao, w.A.account, first(codes).code), 410, 'code_expired');
    const queue = new Queue('coupons', { connection: { url: requireEnv('REDIS_URL') }, prefix: workers.prefix });
    try {
      await queue.add('coupons.expire-sweep', {}, { jobId: `sweep-${request.id}` });
      expect(await jobs.completion(`sweep-${request.id}`)).to.equal('done');
    } finally {
      await queue.close();
    }
    expect(await couponRow(first(codes).couponId)).to.deep.equal({ status: 'expired', account_id: null, balance: '0', origin: 'activation_code' });
    expect(await couponRow(nth(codes, 1).couponId)).to.deep.include({ status: 'pending_activation' });
    expect((await harness.ds.query(`SELECT 1 FROM coupon_ledger WHERE coupon_id = $1`, [first(codes).couponId])).length).to.equal(0);
    const hist = (await as(w.A.po.token).get(`/v1/coupons/${first(codes).couponId}/history`)).body.items;
    expect(hist[hist.length - 1]).to.deep.include({ action: 'expired', from: 'pending_activation', to: 'expired' });
    expectError(await activate(w.A.ao, w.A.account, first(codes).code), 410, 'code_expired');
    const states = (await as(w.A.po.token).get(`/v1/issuance-requests/${request.id}/activation-codes`)).body.items;
    expect(states.map((s: { state: string }) => s.state).sort()).to.deep.equal(['expired', 'pending']);
    // The expired attempts cost nothing: the other code still activates.
    expect((await activate(w.A.ao, w.A.account, nth(codes, 1).code)).status).to.equal(200);
  });

  it('R1 R31: a code of another tree, or of another partner of the same tree, reads as code_not_found and counts as a wrong guess', async () => {
    await addCodeFixtures(w);
    expectError(await activate(w.A.ao, w.A.account, codesOf(w.B).code), 404, 'code_not_found');
    const reseller = await batch(w.A.ra, 1);
    expectError(await activate(w.A.ao, w.A.account, first(reseller.codes).code), 404, 'code_not_found');
    for (let i = 0; i < 3; i++) expectError(await activate(w.A.ao, w.A.account, guess()), 404, 'code_not_found');
    expectError(await activate(w.A.ao, w.A.account, codesOf(w.A).code), 429, 'too_many_attempts');
    expect((await couponRow(codesOf(w.B).codeCoupon)).status).to.equal('pending_activation');
  });

  it('R6 R31: a vendor-borne code is never activated by a tier-2 reseller\'s account (403 with the reason); it stays pending', async () => {
    const { request } = await submitCodes(w.A.pa, { costBearer: 'vendor' }, 1);
    await as(w.bd.token).post(`/v1/issuance-requests/${request.id}/approve`);
    const c = first(parseCsv(await generate(w.A.pa, request.id)));
    const owner = await accountUser(w.A.partner, w.A.partner, w.A.resellerAccount);
    const res = await activate(owner, w.A.resellerAccount, c.code);
    expectError(res, 403, 'forbidden');
    expect(res.body.error.message).to.equal("a vendor-borne coupon is never issued to a tier-2 reseller's account");
    expect(await couponRow(c.couponId)).to.deep.include({ status: 'pending_activation', account_id: null });
    expect((await activate(w.A.ao, w.A.account, c.code)).status).to.equal(200);
  });

  it('R7 R31: a once template reaches an account once, through codes too; an unlimited batch gives an account one code of it', async () => {
    const once = await batch(w.A.po, 2, { issueLimit: 'once' });
    expect((await activate(w.A.ao, w.A.account, first(once.codes).code)).status).to.equal(200);
    expectError(await activate(w.A.ao, w.A.account, nth(once.codes, 1).code), 409, 'issue_limit_reached');
    expect((await couponRow(nth(once.codes, 1).couponId)).status).to.equal('pending_activation');
    const named = await as(w.A.po.token).post('/v1/issuance-requests', { templateId: once.template.id, accountIds: [w.A.account] });
    expectError(named, 409, 'issue_limit_reached');
    const unlimited = await batch(w.A.po, 2);
    expect((await activate(w.A.ao, w.A.account, first(unlimited.codes).code)).status).to.equal(200);
    expectError(await activate(w.A.ao, w.A.account, nth(unlimited.codes, 1).code), 409, 'batch_already_activated');
    expect((await couponRow(nth(unlimited.codes, 1).couponId)).status).to.equal('pending_activation');
  });

  it('R4 R5 R9 R31: an offline request counts 1 to 10,000 coupons, names no account, and meets the template cap and the budget whole', async () => {
    const t = await createTemplate(w.A.po, { costBearer: 'partner', cap: { count: 2 } });
    const post = (body: unknown) => as(w.A.po.token).post('/v1/issuance-requests', body);
    for (const body of [
      { templateId: t.id, codeCount: 0 },
      { templateId: t.id, codeCount: 10_001 },
      { templateId: t.id, codeCount: 1.5 },
      { templateId: t.id },
      { templateId: t.id, codeCount: 1, accountIds: [w.A.account] },
    ]) expectError(await post(body), 400, 'validation_failed');
    expectError(await post({ templateId: t.id, codeCount: 3 }), 409, 'template_cap_reached');
    expect((await call('PUT', `/v1/partners/${w.A.partner}/budgets/USD`, { token: w.admin.token, body: { amount: '7000' } })).status).to.equal(200);
    const t2 = await createTemplate(w.A.po, { costBearer: 'partner' });
    expectError(await post({ templateId: t2.id, codeCount: 2 }), 409, 'budget_exceeded');
    // A tier-2 reseller cannot make vendor-borne codes either (R6, from the policy).
    const [tv] = await harness.ds.query(
      `INSERT INTO coupon_templates (tenant_id, partner_id, name, currency, face_value, cost_bearer, issue_limit, validity_kind, valid_days, usage, billing_modes)
       VALUES ($1, $2, 'legacy vendor-borne', 'USD', 5000, 'vendor', 'unlimited', 'relative', 30, 'reusable', '{payg}') RETURNING id`,
      [w.A.partner, w.A.reseller],
    );
    const refused = await as(w.A.ra.token).post('/v1/issuance-requests', { templateId: tv.id, codeCount: 1 });
    expectError(refused, 403, 'forbidden');
    expect(refused.body.error.message).to.equal('a tier-2 reseller cannot issue vendor-borne templates');
  });
});
