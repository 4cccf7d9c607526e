import { randomUUID } from 'node:crypto';
import { harness } from './harness';
import { hashToken, newTokenSecret, tokenPrefix } from '../../src/auth/tokens/token-secret';
import { hashCode, newActivationCode } from '../../src/issuance/activation-code';
import { config } from '../../src/config';
import type { Role } from '../../src/tenancy/users/user.entity';
import type { Person, Tree, World } from './world';

/** R31 fixtures of one tree: an approved offline request (codes not generated) and one pending code. */
export interface CodeFixtures {
  offline: string; // approved, kind activation_codes, 2 coupons, vendor-borne (the tree's tplD)
  code: string; // a pending code of the distributor, activatable by the users of `account`
  codeCoupon: string;
}

const byTree = new Map<string, CodeFixtures>();

export function codesOf(t: Tree): CodeFixtures {
  const f = byTree.get(t.partner);
  if (!f) throw new Error('addCodeFixtures(world) first');
  return f;
}

/**
 * Opt-in (not part of buildWorld, whose counts other tests rely on): both trees get their offline
 * fixtures, inserted as the generation statement would have left them.
 */
export async function addCodeFixtures(w: World): Promise<void> {
  for (const t of [w.A, w.B]) {
    const [offline, generated, codeCoupon] = [randomUUID(), randomUUID(), randomUUID()];
    const code = newActivationCode();
    for (const [id, status] of [[offline, 'approved'], [generated, 'issued']]) {
      await harness.ds.query(
        `INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, kind, cost_bearer, currency, face_value, total_accounts,
                                        total_face_value, status, submitted_by)
         VALUES ($1, $2, $1, $3, 'activation_codes', 'vendor', 'USD', 5000, 2, 10000, $4, $5)`,
        [t.partner, id, t.tplD, status, t.pa.id],
      );
    }
    await harness.ds.query(
      `INSERT INTO coupons (tenant_id, id, account_id, partner_id, template_id, request_id, origin, currency, face_value, balance, status,
                            cost_bearer, usage, valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
       VALUES ($1, $2, NULL, $1, $3, $4, 'activation_code', 'USD', 5000, 0, 'pending_activation', 'vendor', 'reusable',
               now(), now() + interval '30 days', '{}', '{payg}', '{}', false, '{}')`,
      [t.partner, codeCoupon, t.tplD, generated],
    );
    await harness.ds.query(
      `INSERT INTO activation_codes (tenant_id, coupon_id, request_id, code_hash) VALUES ($1, $2, $3, $4)`,
      [t.partner, codeCoupon, generated, hashCode(code, config().ACTIVATION_CODE_SECRET)],
    );
    byTree.set(t.partner, { offline, code, codeCoupon });
  }
}

/** A user with a token for an account (tests that need several accounts acting at once). */
export async function accountUser(tenantId: string, partnerId: string, accountId: string, role: Role = 'account_owner'): Promise<Person> {
  const id = randomUUID();
  const tokenId = randomUUID();
  const token = newTokenSecret();
  const email = `${role}-${id.slice(0, 8)}@test.example`;
  await harness.ds.query(
    `INSERT INTO users (id, email, name, role, tenant_id, partner_id, account_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, email, role, role, tenantId, partnerId, accountId],
  );
  await harness.ds.query(
    `INSERT INTO api_tokens (id, user_id, tenant_id, partner_id, account_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4, $5, 'test', $6, $7)`,
    [tokenId, id, tenantId, partnerId, accountId, hashToken(token), tokenPrefix(token)],
  );
  return { id, role, token, tokenId, email };
}
