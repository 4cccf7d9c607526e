import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call, type Reply, expectError } from '../support/http';
import { buildWorld, type Person, type World } from '../support/world';
import { useWorkers, type JobWatcher } from '../support/jobs';
import { bulkAccounts, createTemplate, ensureProducts, templateBody } from '../support/coupons-world';
import { first, nth } from '../../src/db/rows';

/**
 * R4 (template validation, cap), R5 (partner budget), R6 (tier-2 restriction) and R7 (issue limit
 * once per account), through real HTTP against PostgreSQL, with the relay and BullMQ workers running.
 * Every refusal is checked to have written nothing in the tenant's issuance tables.
 */

// The tables a template, a request or its issuance writes, all keyed by tenant. The relay's
// bookkeeping on an outbox row (sent_at, attempts) is not a write of the request and is left out.
const WRITTEN = [
  'coupon_templates', 'issuance_requests', 'issuance_items', 'template_account_claims', 'coupons', 'coupon_ledger',
  'budgets', 'budget_ledger', 'audit_events', 'outbox',
] as const;

/** Row count and digest of every row of the tenant in each table above. */
async function tenantState(tenantId: string): Promise<Record<string, string>> {
  const row = `(to_jsonb(x) - 'sent_at' - 'relay_attempts' - 'last_error')::text`;
  const parts = WRITTEN.map(
    (t) => `SELECT '${t}' AS t, count(*) || ':' || coalesce(md5(string_agg(${row}, ',' ORDER BY ${row})), '') AS d FROM ${t} x WHERE x.tenant_id = $1`,
  );
  const rows: { t: string; d: string }[] = await harness.ds.query(parts.join(' UNION ALL '), [tenantId]);
  return Object.fromEntries(rows.map((r) => [r.t, r.d]));
}

const iso = (hoursFromNow: number) => new Date(Date.now() + hoursFromNow * 3600_000).toISOString();
const sorted = (ids: string[]) => [...ids].sort();

describe('issuance rules: R4 validation and cap, R5 budget, R6 tier-2, R7 once per account', () => {
  let w: World;
  const workers = useWorkers();
  let jobs: JobWatcher;
  before(async () => {
    await ensureProducts();
    jobs = workers.watcher;
  });
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const post = (by: Person, templateId: string, accountIds: string[]) => as(by.token).post('/v1/issuance-requests', { templateId, accountIds });
  const submit = async (templateId: string, accountIds: string[], by = w.A.po) => {
    const res = await post(by, templateId, accountIds);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string; status: string };
  };
  const routed = (id: string) => jobs.completion(`issuance.route-${id}`);
  const issued = (id: string) => jobs.completion(`issuance.issue-${id}`);
  /** Submits a partner-borne request and waits until its coupons are issued. */
  const submitAndIssue = async (templateId: string, accountIds: string[], by = w.A.po) => {
    const r = await submit(templateId, accountIds, by);
    await routed(r.id);
    expect(await issued(r.id)).to.equal('done');
    return r;
  };
  const template = async (id: string, by = w.A.po) => {
    const res = await as(by.token).get(`/v1/templates/${id}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  /** Runs `act` and checks that the tenant's issuance tables are exactly as before. */
  const writesNothing = async (act: () => Promise<Reply>, tenant = w.A.partner): Promise<Reply> => {
    const before = await tenantState(tenant);
    const res = await act();
    expect(await tenantState(tenant), 'nothing written').to.deep.equal(before);
    return res;
  };
  const couponsPerAccount = async (templateId: string): Promise<Map<string, number>> => {
    const rows: { account_id: string; n: number }[] = await harness.ds.query(
      `SELECT account_id, count(*)::int AS n FROM coupons WHERE template_id = $1 GROUP BY account_id`,
      [templateId],
    );
    return new Map(rows.map((r) => [r.account_id, r.n]));
  };
  const setBudget = (by: Person, partnerId: string, currency: string, amount: string) =>
    call('PUT', `/v1/partners/${partnerId}/budgets/${currency}`, { token: by.token, body: { amount } });
  const budget = async (partnerId: string, currency = 'USD') => {
    const res = await as(w.admin.token).get(`/v1/partners/${partnerId}/budgets`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.items.find((b: { currency: string }) => b.currency === currency);
  };
  /** A vendor-borne template under the reseller, as if made before the policy refused it. */
  const vendorTemplateUnderReseller = async (): Promise<string> => {
    const rows: { id: string }[] = await harness.ds.query(
      `INSERT INTO coupon_templates (tenant_id, partner_id, name, currency, face_value, cost_bearer, issue_limit, validity_kind,
                                     valid_days, usage, product_codes, billing_modes, scenarios)
       VALUES ($1, $2, 'legacy vendor-borne', 'USD', 5000, 'vendor', 'unlimited', 'relative', 30, 'reusable', '{cvm}', '{payg}', '{}')
       RETURNING id`,
      [w.A.partner, w.A.reseller],
    );
    return first(rows, 'the inserted template').id;
  };

  describe('R6: tier-1 vs tier-2 partner x vendor- vs partner-borne template x customer vs reseller account', () => {
    const creation: { who: string; by: (w: World) => Person; partner: (w: World) => string; costBearer: 'vendor' | 'partner'; reason?: string }[] = [
      { who: 'tier-1 distributor admin', by: (x) => x.A.pa, partner: (x) => x.A.partner, costBearer: 'vendor' },
      { who: 'tier-1 distributor admin', by: (x) => x.A.pa, partner: (x) => x.A.partner, costBearer: 'partner' },
      { who: 'tier-2 reseller admin', by: (x) => x.A.ra, partner: (x) => x.A.reseller, costBearer: 'vendor', reason: 'a tier-2 reseller cannot create vendor-borne templates' },
      { who: 'tier-2 reseller operator', by: (x) => x.A.ro, partner: (x) => x.A.reseller, costBearer: 'vendor', reason: 'a tier-2 reseller cannot create vendor-borne templates' },
      { who: 'tier-2 reseller admin', by: (x) => x.A.ra, partner: (x) => x.A.reseller, costBearer: 'partner' },
    ];
    /** For a refusal, the tenant's tables must not change; a success is checked by its reply. */
    const writesNothingUnless = (ok: boolean, act: () => Promise<Reply>) => (ok ? act() : writesNothing(act));
    for (const c of creation) {
      const outcome = c.reason ? `403 "${c.reason}" and writes nothing` : '201, owned by its partner';
      it(`R6: a ${c.who} creating a ${c.costBearer}-borne template gets ${outcome}`, async () => {
        const res = await writesNothingUnless(!c.reason, () => as(c.by(w).token).post('/v1/templates', templateBody({ costBearer: c.costBearer })));
        if (c.reason) {
          expectError(res, 403, 'forbidden');
          expect(res.body.error.message).to.equal(c.reason);
        } else {
          expect(res.status, JSON.stringify(res.body)).to.equal(201);
          expect(res.body).to.deep.include({ partnerId: c.partner(w), tenantId: w.A.partner, costBearer: c.costBearer });
        }
      });
    }

    it('R6: a tier-2 reseller cannot PATCH its partner-borne template to vendor-borne: 403 with the reason, the template unchanged', async () => {
      const t = await createTemplate(w.A.ra, { costBearer: 'partner' });
      const res = await writesNothing(() => as(w.A.ra.token).patch(`/v1/templates/${t.id}`, { costBearer: 'vendor' }));
      expectError(res, 403, 'forbidden');
      expect(res.body.error.message).to.equal('a tier-2 reseller cannot create vendor-borne templates');
      expect((await template(t.id, w.A.ra)).costBearer).to.equal('partner');
      // Its other fields still change (the refusal is about the cost bearer only).
      const renamed = await as(w.A.ra.token).patch(`/v1/templates/${t.id}`, { name: 'Renamed by reseller' });
      expect(renamed.status, JSON.stringify(renamed.body)).to.equal(200);
    });

    it('R6: a tier-1 partner may PATCH its partner-borne template to vendor-borne (200)', async () => {
      const t = await createTemplate(w.A.pa, { costBearer: 'partner' });
      const res = await as(w.A.pa.token).patch(`/v1/templates/${t.id}`, { costBearer: 'vendor' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.costBearer).to.equal('vendor');
    });

    type Account = 'account' | 'resellerAccount' | 'resellerCustomer';
    const issuing: { name: string; tier: 1 | 2; costBearer: 'vendor' | 'partner'; accounts: Account[]; refused?: { reason: string; accountIds?: Account[] } }[] = [
      { name: 'tier-1 issues a vendor-borne template to a customer account', tier: 1, costBearer: 'vendor', accounts: ['account'] },
      {
        name: "tier-1 issues a vendor-borne template to the tier-2 reseller's billing account", tier: 1, costBearer: 'vendor', accounts: ['resellerAccount'],
        refused: { reason: "a vendor-borne coupon is never issued to a tier-2 reseller's account", accountIds: ['resellerAccount'] },
      },
      {
        name: "tier-1 issues a vendor-borne template to a customer and the tier-2 reseller's billing account together", tier: 1, costBearer: 'vendor',
        accounts: ['account', 'resellerAccount'],
        refused: { reason: "a vendor-borne coupon is never issued to a tier-2 reseller's account", accountIds: ['resellerAccount'] },
      },
      { name: "tier-1 issues a partner-borne template to the tier-2 reseller's billing account", tier: 1, costBearer: 'partner', accounts: ['resellerAccount'] },
      { name: 'tier-1 issues a partner-borne template to a customer account', tier: 1, costBearer: 'partner', accounts: ['account'] },
      { name: 'tier-2 issues a partner-borne template to its customer', tier: 2, costBearer: 'partner', accounts: ['resellerCustomer'] },
      {
        name: 'tier-2 issues a vendor-borne template that exists under it (made before a policy change) to its customer', tier: 2, costBearer: 'vendor',
        accounts: ['resellerCustomer'], refused: { reason: 'a tier-2 reseller cannot issue vendor-borne templates' },
      },
    ];
    for (const c of issuing) {
      const outcome = c.refused ? `403 "${c.refused.reason}"${c.refused.accountIds ? ' listing the account' : ''}, and writes nothing` : '201';
      it(`R6: ${c.name}: ${outcome}`, async () => {
        const by = c.tier === 1 ? w.A.pa : w.A.ra;
        const templateId = c.tier === 2 && c.costBearer === 'vendor' ? await vendorTemplateUnderReseller() : (await createTemplate(by, { costBearer: c.costBearer })).id;
        const accountIds = c.accounts.map((a) => w.A[a]);
        if (c.refused) {
          const res = await writesNothing(() => post(by, templateId, accountIds));
          expectError(res, 403, 'forbidden');
          expect(res.body.error.message).to.equal(c.refused.reason);
          if (c.refused.accountIds) expect(res.body.error.details.accountIds).to.deep.equal(c.refused.accountIds.map((a) => w.A[a]));
          const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM issuance_requests WHERE template_id = $1`, [templateId]);
          expect(n.n).to.equal(0);
          return;
        }
        const r = await submit(templateId, accountIds, by);
        await routed(r.id);
        if (c.costBearer === 'partner') {
          expect(await issued(r.id)).to.equal('done');
          const done = (await as(by.token).get(`/v1/issuance-requests/${r.id}`)).body;
          expect(done.status).to.equal('issued');
          expect(Object.fromEntries(await couponsPerAccount(templateId))).to.deep.equal(Object.fromEntries(accountIds.map((a) => [a, 1])));
        } else {
          expect((await as(by.token).get(`/v1/issuance-requests/${r.id}`)).body.status).to.equal('pending_approval');
        }
      });
    }
  });

  describe('R7: a once template reaches an account at most once', () => {
    it('R7: after X has the coupon, a request naming X and Y is 409 issue_limit_reached listing exactly [X], writes nothing; one naming only Y is 201', async () => {
      const t = await createTemplate(w.A.po, { costBearer: 'partner', issueLimit: 'once' });
      const [x, y] = [w.A.account, w.A.account2];
      await submitAndIssue(t.id, [x]);
      const res = await writesNothing(() => post(w.A.po, t.id, [x, y]));
      expectError(res, 409, 'issue_limit_reached');
      expect(res.body.error.details.accountIds).to.deep.equal([x]);
      // Named alone again, X is refused the same way.
      const again = await writesNothing(() => post(w.A.pa, t.id, [x]));
      expectError(again, 409, 'issue_limit_reached');
      expect(again.body.error.details.accountIds).to.deep.equal([x]);
      await submitAndIssue(t.id, [y]);
      expect(Object.fromEntries(await couponsPerAccount(t.id))).to.deep.equal({ [x]: 1, [y]: 1 });
    });

    it('R7: an open (pending, vendor-borne) request naming X blocks a second one naming X and Y: 409 issue_limit_reached listing [X], nothing written', async () => {
      const t = await createTemplate(w.A.pa, { costBearer: 'vendor', issueLimit: 'once' });
      const [x, y] = [w.A.account, w.A.account2];
      const first = await submit(t.id, [x]);
      await routed(first.id);
      expect((await as(w.A.po.token).get(`/v1/issuance-requests/${first.id}`)).body.status).to.equal('pending_approval');
      const res = await writesNothing(() => post(w.A.po, t.id, [x, y]));
      expectError(res, 409, 'issue_limit_reached');
      expect(res.body.error.details.accountIds).to.deep.equal([x]);
      const onlyY = await submit(t.id, [y]);
      await routed(onlyY.id);
    });

    it('R7: an unlimited template may reach the same account again (control case: 201)', async () => {
      const t = await createTemplate(w.A.po, { costBearer: 'partner', issueLimit: 'unlimited' });
      await submitAndIssue(t.id, [w.A.account]);
      await submitAndIssue(t.id, [w.A.account]);
      expect((await couponsPerAccount(t.id)).get(w.A.account)).to.equal(2);
    });

    it('R7: 6 simultaneous submissions of a once template naming the same 50 accounts: exactly one 201, five 409 listing all 50; one coupon per account', async () => {
      const accounts = await bulkAccounts(w.A.partner, w.A.partner, 50);
      const t = await createTemplate(w.A.po, { costBearer: 'partner', issueLimit: 'once' });
      const people = [w.A.po, w.A.pa, w.A.po, w.A.pa, w.A.po, w.A.pa];
      const replies = await Promise.all(people.map((p, i) => post(p, t.id, i % 2 ? [...accounts].reverse() : accounts)));
      const ok = replies.filter((r) => r.status === 201);
      const refused = replies.filter((r) => r.status !== 201);
      expect(ok, JSON.stringify(replies.map((r) => [r.status, r.body?.error?.code]))).to.have.length(1);
      expect(refused).to.have.length(5);
      for (const r of refused) {
        expectError(r, 409, 'issue_limit_reached');
        expect(r.body.error.details.accountIds).to.deep.equal(sorted(accounts));
      }
      const winner = first(ok).body.id as string;
      await routed(winner);
      expect(await issued(winner)).to.equal('done');
      const per = await couponsPerAccount(t.id);
      expect(per.size).to.equal(50);
      expect(Math.max(...per.values())).to.equal(1);
      expect([...per.values()].reduce((a, b) => a + b, 0)).to.equal(50);
      const [counts] = await harness.ds.query(
        `SELECT (SELECT count(*)::int FROM issuance_requests WHERE template_id = $1) AS requests,
                (SELECT count(*)::int FROM template_account_claims WHERE template_id = $1) AS claims`,
        [t.id],
      );
      expect(counts).to.deep.equal({ requests: 1, claims: 50 });
      expect((await template(t.id)).committed).to.deep.equal({ count: 50, amount: '250000' });
    });

    it('R7: overlapping sets submitted concurrently in different orders (0-29 and 49-20): exactly one succeeds, the other is 409 listing the overlap, no deadlock, at most one coupon per account', async () => {
      const accounts = await bulkAccounts(w.A.partner, w.A.partner, 50);
      const a = accounts.slice(0, 30);
      const b = accounts.slice(20, 50).reverse();
      const overlap = sorted(accounts.slice(20, 30));
      for (let round = 0; round < 3; round++) {
        const t = await createTemplate(w.A.po, { costBearer: 'partner', issueLimit: 'once' });
        const replies = await Promise.all([post(w.A.po, t.id, a), post(w.A.pa, t.id, b)]);
        const statuses = replies.map((r) => r.status);
        expect(statuses, JSON.stringify(replies.map((r) => r.body))).to.have.members([201, 409]);
        const loser = replies.find((r) => r.status === 409)!;
        expectError(loser, 409, 'issue_limit_reached');
        expect(loser.body.error.details.accountIds).to.deep.equal(overlap);
        const winner = replies.find((r) => r.status === 201)!.body.id as string;
        await routed(winner);
        expect(await issued(winner)).to.equal('done');
        const per = await couponsPerAccount(t.id);
        expect(Math.max(...per.values())).to.equal(1);
        expect(per.size).to.equal(30);
        const winnerSet = replies[0].status === 201 ? a : b;
        expect(sorted([...per.keys()])).to.deep.equal(sorted(winnerSet));
      }
    });
  });

  describe('R4: the template cap', () => {
    it('R4: cap {count: 3}: a request for 2 is 201, for 2 more 409 template_cap_reached (nothing written), for 1 more 201', async () => {
      const accounts = await bulkAccounts(w.A.partner, w.A.partner, 5);
      const t = await createTemplate(w.A.po, { costBearer: 'partner', cap: { count: 3 } });
      expect(t.cap).to.deep.equal({ count: 3, amount: null });
      await submitAndIssue(t.id, accounts.slice(0, 2));
      const res = await writesNothing(() => post(w.A.po, t.id, accounts.slice(2, 4)));
      expectError(res, 409, 'template_cap_reached');
      await submitAndIssue(t.id, accounts.slice(2, 3));
      expect((await template(t.id)).committed).to.deep.equal({ count: 3, amount: '15000' });
      expectError(await post(w.A.po, t.id, accounts.slice(4, 5)), 409, 'template_cap_reached');
    });

    it('R4: cap {amount: "10000"} with faceValue "5000": two requests of one account are 201, the third is 409 template_cap_reached', async () => {
      const accounts = await bulkAccounts(w.A.partner, w.A.partner, 3);
      const t = await createTemplate(w.A.po, { costBearer: 'partner', faceValue: '5000', cap: { amount: '10000' } });
      expect(t.cap).to.deep.equal({ count: null, amount: '10000' });
      await submitAndIssue(t.id, [nth(accounts, 0)]);
      await submitAndIssue(t.id, [nth(accounts, 1)]);
      const res = await writesNothing(() => post(w.A.po, t.id, [nth(accounts, 2)]));
      expectError(res, 409, 'template_cap_reached');
      expect((await template(t.id)).committed).to.deep.equal({ count: 2, amount: '10000' });
    });

    it('R4: cap {count: 10}, 5 simultaneous requests of 3 accounts each: exactly 3 succeed, the rest 409 template_cap_reached, committed.count never above 10', async () => {
      const accounts = await bulkAccounts(w.A.partner, w.A.partner, 15);
      const t = await createTemplate(w.A.pa, { costBearer: 'vendor', cap: { count: 10 } });
      const replies = await Promise.all([0, 1, 2, 3, 4].map((i) => post(i % 2 ? w.A.pa : w.A.po, t.id, accounts.slice(3 * i, 3 * i + 3))));
      const ok = replies.filter((r) => r.status === 201);
      expect(ok, JSON.stringify(replies.map((r) => [r.status, r.body?.error?.code]))).to.have.length(3);
      for (const r of replies.filter((x) => x.status !== 201)) expectError(r, 409, 'template_cap_reached');
      expect((await template(t.id)).committed).to.deep.equal({ count: 9, amount: '45000' });
      for (const r of ok) await routed(r.body.id);
      const [row] = await harness.ds.query(
        `SELECT committed_count AS committed, (SELECT coalesce(sum(total_accounts), 0)::int FROM issuance_requests WHERE template_id = $1) AS requested
           FROM coupon_templates WHERE id = $1`,
        [t.id],
      );
      expect(row).to.deep.equal({ committed: 9, requested: 9 });
    });

    it('R4 R9: a cancelled, or a rejected, pending vendor-borne request gives its share of the cap back', async () => {
      const accounts = await bulkAccounts(w.A.partner, w.A.partner, 4);
      const t = await createTemplate(w.A.pa, { costBearer: 'vendor', cap: { count: 3 } });
      const first = await submit(t.id, accounts.slice(0, 3));
      await routed(first.id);
      expect((await template(t.id)).committed).to.deep.equal({ count: 3, amount: '15000' });
      expectError(await post(w.A.po, t.id, [nth(accounts, 3)]), 409, 'template_cap_reached');
      const cancelled = await as(w.A.pa.token).post(`/v1/issuance-requests/${first.id}/cancel`);
      expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(200);
      expect((await template(t.id)).committed).to.deep.equal({ count: 0, amount: '0' });
      const second = await submit(t.id, accounts.slice(1, 4));
      await routed(second.id);
      expect((await template(t.id)).committed.count).to.equal(3);
      const rejected = await as(w.bd.token).post(`/v1/issuance-requests/${second.id}/reject`, { reason: 'not this quarter' });
      expect(rejected.status, JSON.stringify(rejected.body)).to.equal(200);
      expect((await template(t.id)).committed).to.deep.equal({ count: 0, amount: '0' });
      const third = await submit(t.id, accounts.slice(0, 3));
      await routed(third.id);
      expect((await template(t.id)).committed.count).to.equal(3);
    });
  });

  describe('R5: the partner budget for partner-borne coupons', () => {
    it('R5: budget USD 10000, face 5000: 3 accounts is 409 budget_exceeded (available "10000", nothing written); 2 is 201; then used "10000", available "0" and 1 more is 409', async () => {
      const accounts = await bulkAccounts(w.A.partner, w.A.partner, 4);
      const set = await setBudget(w.admin, w.A.partner, 'USD', '10000');
      expect(set.status, JSON.stringify(set.body)).to.equal(200);
      expect(set.body).to.deep.include({ partnerId: w.A.partner, kind: 'partner', currency: 'USD', amount: '10000', used: '0', available: '10000' });
      const t = await createTemplate(w.A.po, { costBearer: 'partner', faceValue: '5000' });
      const tooMuch = await writesNothing(() => post(w.A.po, t.id, accounts.slice(0, 3)));
      expectError(tooMuch, 409, 'budget_exceeded');
      expect(tooMuch.body.error.details).to.deep.include({ currency: 'USD', requested: '15000', available: '10000' });
      const [n] = await harness.ds.query(`SELECT count(*)::int AS n FROM issuance_requests WHERE template_id = $1`, [t.id]);
      expect(n.n).to.equal(0);
      expect((await template(t.id)).committed).to.deep.equal({ count: 0, amount: '0' });
      await submitAndIssue(t.id, accounts.slice(0, 2));
      expect(await budget(w.A.partner)).to.deep.include({ partnerId: w.A.partner, currency: 'USD', amount: '10000', used: '10000', available: '0' });
      const pa = await as(w.A.pa.token).get(`/v1/partners/${w.A.partner}/budgets`);
      expect(pa.status).to.equal(200);
      expect(pa.body.items).to.have.length(1);
      expect(pa.body.items[0]).to.deep.include({ partnerId: w.A.partner, kind: 'partner', currency: 'USD', amount: '10000', reserved: '0', committed: '10000', used: '10000', available: '0' });
      const oneMore = await writesNothing(() => post(w.A.po, t.id, [nth(accounts, 2)]));
      expectError(oneMore, 409, 'budget_exceeded');
      expect(oneMore.body.error.details).to.deep.include({ requested: '5000', available: '0' });
    });

    it('R5 R36: vendor-borne requests do not touch the partner-borne budget', async () => {
      expect((await setBudget(w.admin, w.A.partner, 'USD', '5000')).status).to.equal(200);
      const t = await createTemplate(w.A.pa, { costBearer: 'vendor', faceValue: '5000' });
      const r = await submit(t.id, [w.A.account, w.A.account2]);
      await routed(r.id);
      expect(await budget(w.A.partner)).to.deep.include({ amount: '5000', used: '0', available: '5000' });
      expect((await as(w.bd.token).post(`/v1/issuance-requests/${r.id}/approve`)).status).to.equal(200);
      expect(await issued(r.id)).to.equal('done');
      expect(await budget(w.A.partner)).to.deep.include({ used: '0', available: '5000' });
      // The partner-borne budget is untouched and still usable in full.
      const p = await createTemplate(w.A.po, { costBearer: 'partner', faceValue: '5000' });
      await submitAndIssue(p.id, [w.A.account]);
      expect(await budget(w.A.partner)).to.deep.include({ used: '5000', available: '0' });
    });

    it('R5: setting the budget below what is used is 422 and changes nothing; only the platform admin sets it (partner admin and operator 403)', async () => {
      expect((await setBudget(w.admin, w.A.partner, 'USD', '10000')).status).to.equal(200);
      const t = await createTemplate(w.A.po, { costBearer: 'partner', faceValue: '5000' });
      await submitAndIssue(t.id, [w.A.account]);
      const below = await writesNothing(() => setBudget(w.admin, w.A.partner, 'USD', '4999'));
      expectError(below, 422, 'budget_below_used');
      expect(below.body.error.details).to.deep.include({ field: 'body.amount' });
      expect(await budget(w.A.partner)).to.deep.include({ partnerId: w.A.partner, currency: 'USD', amount: '10000', used: '5000', available: '5000' });
      // Exactly what is used is allowed.
      expect((await setBudget(w.admin, w.A.partner, 'USD', '5000')).body).to.deep.include({ amount: '5000', used: '5000', available: '0' });
      for (const p of [w.A.pa, w.A.po]) {
        const res = await writesNothing(() => setBudget(p, w.A.partner, 'USD', '99999999'));
        expectError(res, 403, 'forbidden');
      }
      // A reseller admin may not set its own budget either; its distributor is not its to see (R1: 404).
      expectError(await writesNothing(() => setBudget(w.A.ra, w.A.reseller, 'USD', '99999999')), 403, 'forbidden');
      expectError(await writesNothing(() => setBudget(w.A.ra, w.A.partner, 'USD', '99999999')), 404, 'not_found');
      expect(await budget(w.A.partner)).to.deep.include({ amount: '5000' });
    });

    it('R5: budget 25000, face 5000, 10 simultaneous requests of 1 account: exactly 5 succeed, the rest 409 budget_exceeded, used 25000, never above', async () => {
      const accounts = await bulkAccounts(w.A.partner, w.A.partner, 10);
      expect((await setBudget(w.admin, w.A.partner, 'USD', '25000')).status).to.equal(200);
      const t = await createTemplate(w.A.po, { costBearer: 'partner', faceValue: '5000' });
      const replies = await Promise.all(accounts.map((a, i) => post(i % 2 ? w.A.pa : w.A.po, t.id, [a])));
      const ok = replies.filter((r) => r.status === 201);
      expect(ok, JSON.stringify(replies.map((r) => [r.status, r.body?.error?.code]))).to.have.length(5);
      for (const r of replies.filter((x) => x.status !== 201)) expectError(r, 409, 'budget_exceeded');
      expect(await budget(w.A.partner)).to.deep.include({ used: '25000', available: '0' });
      for (const r of ok) {
        await routed(r.body.id);
        expect(await issued(r.body.id)).to.equal('done');
      }
      expect(await budget(w.A.partner)).to.deep.include({ used: '25000', available: '0' });
      const [c] = await harness.ds.query(`SELECT count(*)::int AS n, sum(face_value)::text AS total FROM coupons WHERE template_id = $1`, [t.id]);
      expect(c).to.deep.equal({ n: 5, total: '25000' });
    });
  });

  describe('R4: template validation', () => {
    const cases: { what: string; over: Record<string, unknown>; field: string }[] = [
      { what: 'faceValue "0"', over: { faceValue: '0' }, field: 'body.faceValue' },
      { what: 'faceValue "-5"', over: { faceValue: '-5' }, field: 'body.faceValue' },
      { what: 'faceValue 5000 as a number, not a string', over: { faceValue: 5000 }, field: 'body.faceValue' },
      { what: 'faceValue above MAX_FACE_VALUE ("100000001")', over: { faceValue: '100000001' }, field: 'body.faceValue' },
      { what: 'currency "XYZ" (not ISO 4217)', over: { currency: 'XYZ' }, field: 'body.currency' },
      { what: 'currency "usd" (lower case)', over: { currency: 'usd' }, field: 'body.currency' },
      { what: 'a fixed validity whose until is before its from', over: { validity: { kind: 'fixed', from: iso(48), until: iso(24) } }, field: 'body.validity.until' },
      { what: 'a fixed validity window already ended', over: { validity: { kind: 'fixed', from: iso(-240), until: iso(-24) } }, field: 'body.validity.until' },
      { what: 'relative validity of 0 days', over: { validity: { kind: 'relative', days: 0 } }, field: 'body.validity.days' },
      { what: 'relative validity of 3651 days', over: { validity: { kind: 'relative', days: 3651 } }, field: 'body.validity.days' },
      { what: 'prepaid billing mode with no scenarios', over: { billingModes: ['prepaid'], scenarios: [] }, field: 'body.scenarios' },
      { what: 'an unknown field', over: { ownerOverride: true }, field: 'body.ownerOverride' },
    ];
    for (const c of cases) {
      it(`R4: ${c.what} is 400 validation_failed naming ${c.field}, nothing written`, async () => {
        const res = await writesNothing(() => as(w.A.po.token).post('/v1/templates', templateBody(c.over)));
        expectError(res, 400, 'validation_failed');
        expect(res.body.error.details.map((d: { field: string }) => d.field)).to.include(c.field);
      });
    }

    it('R4: faceValue exactly MAX_FACE_VALUE and relative 3650 days are accepted (boundaries: 201)', async () => {
      const t = await createTemplate(w.A.po, { faceValue: '100000000', validity: { kind: 'relative', days: 3650 } });
      expect(t).to.deep.include({ faceValue: '100000000', validity: { kind: 'relative', days: 3650 } });
    });

    it('R4: an unknown product code is 422 with details.codes listing it, nothing written', async () => {
      const res = await writesNothing(() => as(w.A.po.token).post('/v1/templates', templateBody({ productCodes: ['cvm', 'no-such-product'] })));
      expectError(res, 422, 'unknown_product');
      expect(res.body.error.details).to.deep.equal({ field: 'body.productCodes', codes: ['no-such-product'] });
    });

    it('R3 R4: a partner viewer cannot create a template (403, nothing written)', async () => {
      const res = await writesNothing(() => as(w.A.pv.token).post('/v1/templates', templateBody()));
      expectError(res, 403, 'forbidden');
    });

    it("R1 R4: another tenant's template is 404 for GET, PATCH and archive, and stays unchanged", async () => {
      const t = await createTemplate(w.A.po);
      const before = await tenantState(w.A.partner);
      for (const res of [
        await as(w.B.pa.token).get(`/v1/templates/${t.id}`),
        await as(w.B.pa.token).patch(`/v1/templates/${t.id}`, { name: 'stolen' }),
        await as(w.B.pa.token).post(`/v1/templates/${t.id}/archive`),
      ]) expectError(res, 404, 'not_found');
      expect(await tenantState(w.A.partner)).to.deep.equal(before);
      expect(await template(t.id)).to.deep.include({ name: t.name, status: 'active' });
    });
  });

  describe('R4: template lists', () => {
    it('R4: lists filter by status, costBearer and currency, newest first by default and oldest first with order=oldest', async () => {
      const t1 = await createTemplate(w.A.pa, { costBearer: 'vendor', currency: 'USD' });
      const t2 = await createTemplate(w.A.po, { costBearer: 'partner', currency: 'EUR' });
      const t3 = await createTemplate(w.A.po, { costBearer: 'partner', currency: 'USD' });
      expect((await as(w.A.po.token).post(`/v1/templates/${t3.id}/archive`)).status).to.equal(200);
      // Distinct creation instants, in creation order, so the expected order does not hang on ties.
      await harness.ds.query(
        `UPDATE coupon_templates SET created_at = date_trunc('milliseconds', now()) - make_interval(mins => m)
           FROM (VALUES ($1::uuid, 30), ($2::uuid, 20), ($3::uuid, 10)) v(id, m) WHERE coupon_templates.id = v.id`,
        [t1.id, t2.id, t3.id],
      );
      const ids = async (query: string) => {
        const res = await as(w.A.pv.token).get(`/v1/templates${query}`);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        // The world's own fixture template is not this test's.
        return res.body.items.map((i: { id: string }) => i.id).filter((id: string) => id !== w.A.tplD);
      };
      expect(await ids('')).to.deep.equal([t3.id, t2.id, t1.id]);
      expect(await ids('?order=newest')).to.deep.equal([t3.id, t2.id, t1.id]);
      expect(await ids('?order=oldest')).to.deep.equal([t1.id, t2.id, t3.id]);
      expect(await ids('?status=active')).to.deep.equal([t2.id, t1.id]);
      expect(await ids('?status=archived')).to.deep.equal([t3.id]);
      expect(await ids('?costBearer=vendor')).to.deep.equal([t1.id]);
      expect(await ids('?costBearer=partner&order=oldest')).to.deep.equal([t2.id, t3.id]);
      expect(await ids('?currency=EUR')).to.deep.equal([t2.id]);
      expect(await ids('?currency=USD')).to.deep.equal([t3.id, t1.id]);
      expect(await ids('?status=active&costBearer=partner&currency=EUR')).to.deep.equal([t2.id]);
      expect(await ids('?currency=JPY')).to.deep.equal([]);
      expectError(await as(w.A.pv.token).get('/v1/templates?status=deleted'), 400, 'validation_failed');
      // Another tenant's list never includes them (R1).
      expect((await as(w.B.pa.token).get('/v1/templates')).body.items.map((i: { id: string }) => i.id)).to.deep.equal([w.B.tplD]);
    });
  });
});
