import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from './harness';
import { call } from './http';
import { financeUsers } from './coupons-world';
import { hashToken, newTokenSecret, tokenPrefix } from '../../src/auth/tokens/token-secret';
import { ledgerRows } from '../../src/coupons/ledger.sql';
import type { Person, Tree } from './world';
import { first } from '../../src/db/rows';

/**
 * Fixtures for the settlement tests (R37-R39): a second reseller under a world tree, templates and
 * coupons issued as the issuance chunk would leave them (coupon row + `issue` ledger row, via
 * ledger.sql.ts), payments through the real API, and a month of the past to book them in.
 */

/**
 * A month no other test uses: random in 1985-2019 (the world's cycles are in 1971), nobody closed
 * it, no ledger row is booked in it and no billing cycle covers any of it.
 */
export async function freshMonth(): Promise<string> {
  for (;;) {
    const index = 1985 * 12 + Math.floor(Math.random() * 35 * 12);
    const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    const { n } = first<{ n: number }>(await harness.ds.query(
      `WITH m AS (SELECT $1::date::timestamp AT TIME ZONE 'UTC' AS s, ($1::date + interval '1 month')::timestamp AT TIME ZONE 'UTC' AS e)
       SELECT (SELECT count(*) FROM settlement_months WHERE month = $1::date)
            + (SELECT count(*) FROM coupon_ledger, m WHERE at >= m.s AND at < m.e)
            + (SELECT count(*) FROM billing_cycles, m WHERE period_start < m.e AND period_end > m.s) AS n`,
      [`${month}-01`],
    ), 'a row');
    if (Number(n) === 0) return month;
  }
}

/** A second reseller of the tree, with one customer account and a partner admin. */
export async function addReseller(t: Tree, key: string): Promise<{ id: string; customer: string; admin: Person }> {
  const [id, customer, userId, tokenId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const token = newTokenSecret();
  const email = `ra-${key}-${id.slice(0, 8)}@test.example`;
  const q = (sql: string, p: unknown[]) => harness.ds.query(sql, p);
  await q(`INSERT INTO partners (tenant_id, id, tier, parent_id, name) VALUES ($1, $2, 2, $1, $3)`, [t.partner, id, `res2-${key}`]);
  await q(`INSERT INTO accounts (tenant_id, partner_id, kind, reseller_partner_id, name) VALUES ($1, $1, 'reseller', $2, $3)`, [t.partner, id, `res2-acct-${key}`]);
  await q(`INSERT INTO accounts (tenant_id, id, partner_id, kind, name) VALUES ($1, $2, $3, 'customer', $4)`, [t.partner, customer, id, `r2cust-${key}-${customer.slice(0, 6)}`]);
  await q(`INSERT INTO users (id, email, name, role, tenant_id, partner_id) VALUES ($1, $2, 'ra2', 'partner_admin', $3, $4)`, [userId, email, t.partner, id]);
  await q(`INSERT INTO api_tokens (id, user_id, tenant_id, partner_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4, 'test', $5, $6)`, [tokenId, userId, t.partner, id, hashToken(token), tokenPrefix(token)]);
  return { id, customer, admin: { id: userId, role: 'partner_admin', token, tokenId, email } };
}

/** A template of `partnerId` (locked, as once issued). */
export async function insertTemplate(tenantId: string, partnerId: string, costBearer: 'vendor' | 'partner', name: string): Promise<string> {
  const { id } = first<{ id: string }>(await harness.ds.query(
    `INSERT INTO coupon_templates (tenant_id, partner_id, name, currency, face_value, cost_bearer, issue_limit, validity_kind, valid_days, usage, billing_modes, scenarios, locked_at)
     VALUES ($1, $2, $3, 'USD', 100000, $4, 'unlimited', 'relative', 3650, 'reusable', '{prepaid,payg}', '{purchase}', now()) RETURNING id`,
    [tenantId, partnerId, name, costBearer],
  ), 'a row');
  return id;
}

/**
 * An issued coupon of `templateId` for `accountId`: general (every product), prepaid and
 * pay-as-you-go, valid from `validFrom` to 20 days from now, with its `issue` ledger row.
 */
export async function issueCoupon(tenantId: string, partnerId: string, templateId: string, accountId: string, faceValue: number, validFrom: Date): Promise<string> {
  const { id } = first<{ id: string }>(await harness.ds.query(
    `WITH r AS (
       INSERT INTO issuance_requests (tenant_id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts, total_face_value, status, submitted_by)
       SELECT $1, $2, t.id, t.cost_bearer, 'USD', $4, 1, $4, 'issued', (SELECT id FROM users WHERE role = 'platform_admin' LIMIT 1)
         FROM coupon_templates t WHERE t.tenant_id = $1 AND t.id = $3 RETURNING id, cost_bearer)
     INSERT INTO coupons (tenant_id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status, cost_bearer, usage,
                          valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
     SELECT $1, $5, $2, $3, r.id, 'USD', $4, $4, 'unused', r.cost_bearer, 'reusable', $6, now() + interval '20 days', '{}', '{prepaid,payg}', '{purchase}', false, '{}'
       FROM r RETURNING id`,
    [tenantId, partnerId, templateId, faceValue, accountId, validFrom],
  ), 'a row');
  await harness.ds.query(
    ledgerRows({ type: 'issue', from: 'coupons WHERE id = $1', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: 'face_value', after: 'face_value' }),
    [id],
  );
  return id;
}

/**
 * The settlement tests' coupons (USD), valid from `from`: the distributor's partner-borne cD 10000
 * (its `account`) and vendor-borne cV 8000 (`account2`), the tree's reseller's partner-borne cR1
 * 6000 (its customer) and the second reseller's cR2 4000 (its customer), with their templates
 * ("D partner-borne", "D vendor-borne", "R2 partner-borne"; cR1 is of the world's `tplR`).
 */
export async function settlementCoupons(t: Tree, r2: { id: string; customer: string }, from: Date) {
  const T = t.partner;
  const tpl = {
    dp: await insertTemplate(T, T, 'partner', 'D partner-borne'),
    dv: await insertTemplate(T, T, 'vendor', 'D vendor-borne'),
    r2: await insertTemplate(T, r2.id, 'partner', 'R2 partner-borne'),
  };
  const coupons = {
    cD: await issueCoupon(T, T, tpl.dp, t.account, 10000, from),
    cV: await issueCoupon(T, T, tpl.dv, t.account2, 8000, from),
    cR1: await issueCoupon(T, t.reseller, t.tplR, t.resellerCustomer, 6000, from),
    cR2: await issueCoupon(T, r2.id, tpl.r2, r2.customer, 4000, from),
  };
  return { tpl, coupons };
}

/** A prepaid order paid through the real API with the coupon given (R21), by a finance user of the account. */
export async function payOrder(tenantId: string, partnerId: string, accountId: string, coupon: string, amount: number): Promise<string> {
  const payer = first(await financeUsers(tenantId, partnerId, [accountId]), 'a finance user');
  const res = await call('POST', '/v1/orders', {
    token: payer.token,
    headers: { 'idempotency-key': `settle-${randomUUID()}` },
    body: { accountId, currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: String(amount), durationMonths: 1 }], coupon },
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  expect(res.body.couponDeduction).to.equal(String(amount));
  return res.body.id;
}

/**
 * The API books every ledger row at the database clock, and a month closes only after it ended:
 * so the test moves the tenant's ledger rows, in their order, into `month` (from its 2nd day, a
 * minute apart), as if the payments had happened then. Only `at` changes: amounts, balances and
 * the rows' order stay, so every R26 check still holds. The orders keep their own time, which
 * is what lets a 5-day refund (R27) of them come after the month has closed.
 */
export async function bookIntoMonth(tenantId: string, month: string): Promise<void> {
  await harness.ds.query(
    `UPDATE coupon_ledger l SET at = ($2::date + interval '1 day')::timestamp AT TIME ZONE 'UTC' + o.n * interval '1 minute'
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM coupon_ledger WHERE tenant_id = $1) o
      WHERE l.tenant_id = $1 AND l.id = o.id`,
    [tenantId, `${month}-01`],
  );
}
