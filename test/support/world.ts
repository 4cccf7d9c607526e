import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashToken, newTokenSecret, tokenPrefix } from '../../src/auth/tokens/token-secret';
import type { Role } from '../../src/tenancy/users/user.entity';
import { ledgerRows } from '../../src/coupons/ledger.sql';

export interface Person {
  id: string;
  role: Role;
  token: string;
  tokenId: string;
  email: string;
}

/** One distributor tree: a tier-1 partner, its tier-2 reseller, accounts and one user per role. */
export interface Tree {
  partner: string;
  reseller: string;
  resellerAccount: string;
  account: string; // a customer account of the distributor: the account users' own
  account2: string;
  resellerCustomer: string; // a customer account of the reseller
  pa: Person; // distributor partner_admin
  po: Person;
  pv: Person;
  ra: Person; // reseller partner_admin
  ro: Person; // reseller partner_operator
  ao: Person; // account_owner of `account`
  af: Person;
  am: Person;
  tplD: string; // a vendor-borne template of the distributor
  tplR: string; // a partner-borne template of the reseller
  reqD: string; // the distributor's vendor-borne request, pending its BD
  reqR: string; // the reseller's partner-borne request, just submitted
  issuedD: string; // the distributor's issued request, of couponD
  issuedR: string; // the reseller's issued request, of couponR
  couponD: string; // a coupon of `account`, issued by the distributor
  couponR: string; // a coupon of `resellerCustomer`, issued by the reseller
  orderD: string; // a prepaid order of `account` (cash only)
  orderR: string; // a prepaid order of `resellerCustomer`
  billD: string; // a pay-as-you-go bill of `account`
  billR: string; // a pay-as-you-go bill of `resellerCustomer`
  fault: string; // a fault (over an hour ago) that affected `account`, `account2`, `resellerCustomer` and `resellerAccount`
}

export interface World {
  admin: Person;
  bd: Person; // BD of tree A only
  otherBd: Person; // BD of tree B
  A: Tree;
  B: Tree;
}

const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);

/**
 * Builds a fresh world in one round trip (ids and tokens are made here, no user input is spliced).
 * Every call makes new tenants, so tests never see each other's objects.
 */
export async function buildWorld(ds: DataSource): Promise<World> {
  const sql: string[] = [];
  const tag = randomUUID().slice(0, 8);
  const person = (role: Role, key: string, tenant: string | null, partner: string | null, account: string | null): Person => {
    const id = randomUUID();
    const token = newTokenSecret();
    const tokenId = randomUUID();
    const email = `${key}-${tag}@test.example`;
    sql.push(
      `INSERT INTO users (id, email, name, role, tenant_id, partner_id, account_id) VALUES (${[id, email, key, role, tenant, partner, account].map(lit).join(', ')})`,
      `INSERT INTO api_tokens (id, user_id, tenant_id, partner_id, account_id, name, token_hash, prefix) VALUES (${[tokenId, id, tenant, partner, account, 'test'].map(lit).join(', ')}, '\\x${hashToken(token).toString('hex')}', ${lit(tokenPrefix(token))})`,
    );
    return { id, role, token, tokenId, email };
  };
  // Vendor data the fixtures refer to: a product and a billing cycle of the world's own.
  const cycle = randomUUID();
  sql.push(
    `INSERT INTO products (code, name, category) VALUES ('cvm', 'Cloud Virtual Machine', 'compute') ON CONFLICT (code) DO NOTHING`,
    // An hour in 1971 (no test meters usage then), so the fixture's cycle never covers a test's usage (R23).
    `INSERT INTO billing_cycles (id, period, period_start, period_end)
     SELECT '${cycle}', 'hourly', s, s + interval '1 hour' FROM (SELECT timestamptz '1971-01-01' + (random() * 3e10)::bigint * interval '1 millisecond' AS s) x`,
  );
  const admin = person('platform_admin', 'admin', null, null, null);
  const bd = person('bd', 'bd', null, null, null);
  const otherBd = person('bd', 'bd2', null, null, null);
  const tree = (key: string, bdUser: Person): Tree => {
    const t = randomUUID();
    const reseller = randomUUID();
    const [resellerAccount, account, account2, resellerCustomer] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    sql.push(
      `INSERT INTO partners (tenant_id, id, tier, bd_user_id, name) VALUES ('${t}', '${t}', 1, '${bdUser.id}', 'dist-${key}-${tag}')`,
      `INSERT INTO partners (tenant_id, id, tier, parent_id, name) VALUES ('${t}', '${reseller}', 2, '${t}', 'res-${key}-${tag}')`,
      `INSERT INTO accounts (tenant_id, id, partner_id, kind, reseller_partner_id, name) VALUES ('${t}', '${resellerAccount}', '${t}', 'reseller', '${reseller}', 'res-acct-${key}')`,
      `INSERT INTO accounts (tenant_id, id, partner_id, kind, name) VALUES ('${t}', '${account}', '${t}', 'customer', 'cust1-${key}'), ('${t}', '${account2}', '${t}', 'customer', 'cust2-${key}'), ('${t}', '${resellerCustomer}', '${reseller}', 'customer', 'rcust-${key}')`,
    );
    const people = {
      pa: person('partner_admin', `pa${key}`, t, t, null),
      po: person('partner_operator', `po${key}`, t, t, null),
      pv: person('partner_viewer', `pv${key}`, t, t, null),
      ra: person('partner_admin', `ra${key}`, t, reseller, null),
      ro: person('partner_operator', `ro${key}`, t, reseller, null),
      ao: person('account_owner', `ao${key}`, t, t, account),
      af: person('account_finance', `af${key}`, t, t, account),
      am: person('account_member', `am${key}`, t, t, account),
    };
    const uuid = randomUUID;
    const [tplD, tplR, reqD, reqR, doneD, doneR, couponD, couponR, orderD, orderR, billD, billR] = [
      uuid(), uuid(), uuid(), uuid(), uuid(), uuid(), uuid(), uuid(), uuid(), uuid(), uuid(), uuid(),
    ];
    const template = (id: string, partner: string, bearer: string) =>
      `INSERT INTO coupon_templates (tenant_id, id, partner_id, name, currency, face_value, cost_bearer, issue_limit, validity_kind, valid_days, usage, billing_modes, locked_at)
       VALUES ('${t}', '${id}', '${partner}', 'tpl-${key}', 'USD', 5000, '${bearer}', 'unlimited', 'relative', 30, 'reusable', '{payg}', now())`;
    const request = (id: string, partner: string, tpl: string, bearer: string, status: string, acct: string, by: Person) =>
      `INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts, total_face_value, status, submitted_by, expires_at)
       VALUES ('${t}', '${id}', '${partner}', '${tpl}', '${bearer}', 'USD', 5000, 1, 5000, '${status}', '${by.id}', now() + interval '7 days');
       INSERT INTO issuance_items (tenant_id, request_id, account_id) VALUES ('${t}', '${id}', '${acct}')`;
    const coupon = (id: string, partner: string, tpl: string, req: string, acct: string) =>
      `INSERT INTO coupons (tenant_id, id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status, cost_bearer, usage,
                            valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
       VALUES ('${t}', '${id}', '${acct}', '${partner}', '${tpl}', '${req}', 'USD', 5000, 5000, 'unused', 'partner', 'reusable',
               now(), now() + interval '30 days', '{}', '{payg}', '{}', false, '{}');
       ${ledgerRows({ type: 'issue', tenant: `'${t}'`, coupon: `'${id}'`, account: `'${acct}'`, amount: '5000', after: '5000' })}`;
    const order = (id: string, partner: string, acct: string, by: Person) =>
      `INSERT INTO orders (tenant_id, id, account_id, partner_id, currency, scenario, promotional, paid_on_behalf, total, coupon_deduction, cash, idempotency_key, request_hash, created_by)
       VALUES ('${t}', '${id}', '${acct}', '${partner}', 'USD', 'purchase', false, false, 1000, 0, 1000, '${id}', 'x', '${by.id}');
       INSERT INTO order_items (tenant_id, order_id, line, product_code, amount) VALUES ('${t}', '${id}', 1, 'cvm', 1000)`;
    const bill = (id: string, partner: string, acct: string) =>
      `INSERT INTO bills (tenant_id, id, account_id, partner_id, cycle_id, product_code, currency, period_start, period_end, amount, cash_due, due_at)
       VALUES ('${t}', '${id}', '${acct}', '${partner}', '${cycle}', 'cvm', 'USD', now(), now() + interval '1 hour', 700, 700, now() + interval '15 days')`;
    sql.push(
      order(orderD, t, account, people.af),
      order(orderR, reseller, resellerCustomer, people.ra),
      bill(billD, t, account),
      bill(billR, reseller, resellerCustomer),
      template(tplD, t, 'vendor'),
      template(tplR, reseller, 'partner'),
      request(reqD, t, tplD, 'vendor', 'pending_approval', account, people.pa),
      request(reqR, reseller, tplR, 'partner', 'submitted', resellerCustomer, people.ra),
      request(doneD, t, tplD, 'vendor', 'issued', account, people.pa),
      request(doneR, reseller, tplR, 'partner', 'issued', resellerCustomer, people.ra),
      coupon(couponD, t, tplD, doneD, account),
      coupon(couponR, reseller, tplR, doneR, resellerCustomer),
    );
    const fault = randomUUID();
    sql.push(
      `INSERT INTO faults (id, product_code, kind, cause, starts_at, ends_at, created_by)
       VALUES ('${fault}', 'cvm', 'unavailability', 'platform', now() - interval '3 hours', now() - interval '2 hours', '${admin.id}');
       INSERT INTO fault_accounts (tenant_id, fault_id, account_id, partner_id)
       VALUES ('${t}', '${fault}', '${account}', '${t}'), ('${t}', '${fault}', '${account2}', '${t}'),
              ('${t}', '${fault}', '${resellerCustomer}', '${reseller}'), ('${t}', '${fault}', '${resellerAccount}', '${t}')`,
    );
    return { partner: t, reseller, resellerAccount, account, account2, resellerCustomer, ...people, tplD, tplR, reqD, reqR, issuedD: doneD, issuedR: doneR, couponD, couponR, orderD, orderR, billD, billR, fault };
  };
  const A = tree('a', bd);
  const B = tree('b', otherBd);
  await ds.query(sql.join(';\n'));
  return { admin, bd, otherBd, A, B };
}
