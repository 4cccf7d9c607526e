import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from './harness';
import { as } from './http';
import type { Person } from './world';
import { hashToken, newTokenSecret, tokenPrefix } from '../../src/auth/tokens/token-secret';
import { ledgerRows } from '../../src/coupons/ledger.sql';

/** Catalog entries the coupon tests refer to (idempotent). */
export async function ensureProducts(ds = harness.ds): Promise<void> {
  await ds.query(
    `INSERT INTO products (code, name, category, excluded_from_general, marketplace) VALUES
       ('cvm', 'Cloud Virtual Machine', 'compute', false, false),
       ('mysql', 'Managed MySQL', 'database', false, false),
       ('support', 'Premium Support', 'service', true, false),
       ('mkt-firewall', 'Marketplace Firewall', 'security', false, true)
     ON CONFLICT (code) DO NOTHING`,
  );
}

export function templateBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `T-${randomUUID().slice(0, 6)}`,
    currency: 'USD',
    faceValue: '5000',
    costBearer: 'partner',
    issueLimit: 'unlimited',
    validity: { kind: 'relative', days: 30 },
    usage: 'reusable',
    productCodes: ['cvm'],
    billingModes: ['prepaid', 'payg'],
    scenarios: ['purchase', 'renewal'],
    ...over,
  };
}

export async function createTemplate(by: Person, over: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const res = await as(by.token).post('/v1/templates', templateBody(over));
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body;
}

/** Inserts `n` active customer accounts for a partner, in one statement. */
export async function bulkAccounts(tenantId: string, partnerId: string, n: number, ds = harness.ds): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO accounts (tenant_id, partner_id, kind, name)
     SELECT $1, $2, 'customer', 'bulk-' || g FROM generate_series(1, $3) g RETURNING id`,
    [tenantId, partnerId, n],
  );
  return rows.map((r) => r.id);
}

export interface CouponSpec {
  balance?: number;
  usage?: 'one_time' | 'reusable';
  productCodes?: string[];
  billingModes?: ('prepaid' | 'payg')[];
  scenarios?: string[];
  minSpend?: number | null;
  maxDurationMonths?: number | null;
  validFrom?: Date;
  validUntil?: Date;
  issuedAt?: Date;
  currency?: string;
}

/**
 * An issued coupon for `accountId` of the tenant `tenantId` with its `issue` ledger row, under a
 * request of its own (coupons are unique per request and account). `like` is an existing coupon
 * of the same tenant whose template and request the new one borrows.
 */
export async function insertCoupon(like: string, accountId: string, spec: CouponSpec = {}): Promise<string> {
  const DAY = 86_400_000;
  const id = randomUUID();
  const request = randomUUID();
  const balance = spec.balance ?? 5000;
  await harness.ds.query(
    `INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts, total_face_value, status, submitted_by)
     SELECT r.tenant_id, $2, r.partner_id, r.template_id, r.cost_bearer, r.currency, r.face_value, 1, r.face_value, 'issued', r.submitted_by
       FROM coupons c JOIN issuance_requests r ON r.tenant_id = c.tenant_id AND r.id = c.request_id WHERE c.id = $1`,
    [like, request],
  );
  await harness.ds.query(
    `INSERT INTO coupons (tenant_id, id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status, cost_bearer,
                          usage, valid_from, valid_until, product_codes, billing_modes, scenarios, min_spend, max_duration_months,
                          allow_promotional, rules, issued_at)
     SELECT tenant_id, $2, $3, partner_id, template_id, $4, $5, $6, $6, 'unused', 'partner', $7, $8, $9, $10, $11, $12, $13, $14, false, '{}', $15
       FROM coupons WHERE id = $1`,
    [
      like, id, accountId, request, spec.currency ?? 'USD', balance, spec.usage ?? 'reusable',
      spec.validFrom ?? new Date(Date.now() - DAY), spec.validUntil ?? new Date(Date.now() + 30 * DAY), spec.productCodes ?? [],
      spec.billingModes ?? ['prepaid', 'payg'], spec.scenarios ?? ['purchase', 'renewal'], spec.minSpend ?? null,
      spec.maxDurationMonths ?? null, spec.issuedAt ?? new Date(),
    ],
  );
  await harness.ds.query(
    ledgerRows({ type: 'issue', from: 'coupons WHERE id = $1', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: 'face_value', after: 'face_value' }),
    [id],
  );
  return id;
}

/**
 * An issued request of the tenant of `like` (an existing coupon whose partner and template it
 * borrows) with one coupon of `balance` per account, its items and `issue` ledger rows: set-based,
 * a few statements whatever the number of accounts. Answers the request's id.
 */
export async function issuedRequest(like: string, accountIds: string[], balance = 5000, ds = harness.ds): Promise<string> {
  const request = randomUUID();
  await ds.query(
    `INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts, total_face_value, status,
                                    issued_count, submitted_by)
     SELECT r.tenant_id, $2, r.partner_id, r.template_id, r.cost_bearer, r.currency, $3::bigint, $4::int, $3::bigint * $4::int, 'issued', $4::int, r.submitted_by
       FROM coupons c JOIN issuance_requests r ON r.tenant_id = c.tenant_id AND r.id = c.request_id WHERE c.id = $1`,
    [like, request, balance, accountIds.length],
  );
  await ds.query(
    `INSERT INTO issuance_items (tenant_id, request_id, account_id) SELECT r.tenant_id, r.id, unnest($2::uuid[]) FROM issuance_requests r WHERE r.id = $1`,
    [request, accountIds],
  );
  await ds.query(
    `INSERT INTO coupons (tenant_id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status, cost_bearer,
                          usage, valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
     SELECT r.tenant_id, a, r.partner_id, r.template_id, r.id, r.currency, r.face_value, r.face_value, 'unused', r.cost_bearer,
            'reusable', now() - interval '1 day', now() + interval '30 days', '{}', '{prepaid,payg}', '{purchase,renewal}', false, '{}'
       FROM issuance_requests r, unnest($2::uuid[]) a WHERE r.id = $1`,
    [request, accountIds],
  );
  // Fresh statistics: a foreign-key check planned while coupons was small would scan the table for
  // each of the ledger rows below (and so would the statements of the test that follows).
  if (accountIds.length >= 1000) await ds.query('ANALYZE coupons');
  await ds.query(
    ledgerRows({ type: 'issue', from: 'coupons WHERE request_id = $1', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: 'face_value', after: 'face_value' }),
    [request],
  );
  return request;
}

/** R26: every coupon's balance against the sum of its ledger, for the coupons given. */
export async function ledgerMismatches(couponIds: string[], ds = harness.ds): Promise<unknown[]> {
  return ds.query(
    `SELECT c.id, c.balance, coalesce(sum(l.amount), 0) AS ledger FROM coupons c
       LEFT JOIN coupon_ledger l ON l.tenant_id = c.tenant_id AND l.coupon_id = c.id
      WHERE c.id = ANY($1::uuid[]) GROUP BY c.id, c.balance HAVING c.balance <> coalesce(sum(l.amount), 0)`,
    [couponIds],
  );
}

/** An account_finance user with a token for each account (tests that pay from many accounts). */
export async function financeUsers(tenantId: string, partnerId: string, accountIds: string[]): Promise<Person[]> {
  const people = accountIds.map(() => ({ id: randomUUID(), tokenId: randomUUID(), token: newTokenSecret(), email: `fin-${randomUUID()}@test.example` }));
  await harness.ds.query(
    `INSERT INTO users (id, email, name, role, tenant_id, partner_id, account_id)
     SELECT x.id, x.email, 'finance', 'account_finance', $1, $2, x.account FROM unnest($3::uuid[], $4::text[], $5::uuid[]) x(id, email, account)`,
    [tenantId, partnerId, people.map((p) => p.id), people.map((p) => p.email), accountIds],
  );
  await harness.ds.query(
    `INSERT INTO api_tokens (id, user_id, tenant_id, partner_id, account_id, name, token_hash, prefix)
     SELECT x.id, x.u, $1, $2, x.account, 'test', decode(x.h, 'hex'), x.p FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[]) x(id, u, account, h, p)`,
    [tenantId, partnerId, people.map((p) => p.tokenId), people.map((p) => p.id), accountIds, people.map((p) => hashToken(p.token).toString('hex')), people.map((p) => tokenPrefix(p.token))],
  );
  return people.map((p) => ({ ...p, role: 'account_finance' as const }));
}
