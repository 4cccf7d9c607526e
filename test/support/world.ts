import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashToken, newTokenSecret, tokenPrefix } from '../../src/auth/tokens/token-secret';
import type { Role } from '../../src/tenancy/users/user.entity';

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
    return {
      partner: t, reseller, resellerAccount, account, account2, resellerCustomer,
      pa: person('partner_admin', `pa${key}`, t, t, null),
      po: person('partner_operator', `po${key}`, t, t, null),
      pv: person('partner_viewer', `pv${key}`, t, t, null),
      ra: person('partner_admin', `ra${key}`, t, reseller, null),
      ro: person('partner_operator', `ro${key}`, t, reseller, null),
      ao: person('account_owner', `ao${key}`, t, t, account),
      af: person('account_finance', `af${key}`, t, t, account),
      am: person('account_member', `am${key}`, t, t, account),
    };
  };
  const A = tree('a', bd);
  const B = tree('b', otherBd);
  await ds.query(sql.join(';\n'));
  return { admin, bd, otherBd, A, B };
}
