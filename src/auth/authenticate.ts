import type { RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import { unauthenticated } from '../http/errors';
import { pooled } from '../db/prepared';
import { defineAbilityFor } from './abilities';
import type { Actor } from './actor';
import { hashToken, TOKEN_PATTERN } from './tokens/token-secret';
import type { Role } from '../tenancy/users/user.entity';

interface TokenRow {
  user_id: string;
  role: Role;
  tenant_id: string | null;
  partner_id: string | null;
  account_id: string | null;
  partner_tier: number | null;
  bd_tenant_ids: string[] | null;
  active: boolean;
}

// One round trip: find the token, its user and everything the user's access hangs on, and touch
// last_used_at (at most once a minute, so reads do not turn into a write per request).
const LOOKUP = `
  WITH hit AS (
    SELECT t.id AS token_id, t.last_used_at, u.id AS user_id, u.role, u.tenant_id, u.partner_id, u.account_id,
           p.tier AS partner_tier,
           (u.status = 'active' AND coalesce(p.status, 'active') = 'active'
             AND coalesce(root.status, 'active') = 'active' AND coalesce(a.status, 'active') = 'active') AS active,
           CASE WHEN u.role = 'bd' THEN
             ARRAY(SELECT bp.id FROM partners bp WHERE bp.bd_user_id = u.id AND bp.tier = 1 ORDER BY bp.id)
           END AS bd_tenant_ids
      FROM api_tokens t
      JOIN users u ON u.id = t.user_id
      LEFT JOIN partners p ON p.tenant_id = u.tenant_id AND p.id = u.partner_id
      LEFT JOIN partners root ON root.tenant_id = u.tenant_id AND root.id = u.tenant_id
      LEFT JOIN accounts a ON a.tenant_id = u.tenant_id AND a.id = u.account_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL
  ), touch AS (
    UPDATE api_tokens SET last_used_at = now()
      FROM hit
     WHERE api_tokens.id = hit.token_id
       AND (hit.last_used_at IS NULL OR hit.last_used_at < now() - interval '1 minute')
  )
  SELECT user_id, role, tenant_id, partner_id, account_id, partner_tier, bd_tenant_ids, active FROM hit`;

/** Bearer token -> Actor + CASL ability on res.locals; anything else is 401. */
export function authenticate(ds: DataSource): RequestHandler {
  const lookup = pooled(ds); // a prepared statement: every request runs it
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) throw unauthenticated('missing bearer token');
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match || !TOKEN_PATTERN.test(match[1])) throw unauthenticated('malformed bearer token');
    const rows = await lookup<TokenRow>(LOOKUP, [hashToken(match[1])]);
    const row = rows[0];
    if (!row) throw unauthenticated('unknown or revoked token');
    if (!row.active) throw unauthenticated('the token belongs to a deactivated user, partner or account');
    const actor: Actor = {
      userId: row.user_id,
      role: row.role,
      tenantId: row.tenant_id,
      partnerId: row.partner_id,
      partnerTier: row.partner_tier === 1 || row.partner_tier === 2 ? row.partner_tier : null,
      accountId: row.account_id,
      bdTenantIds: row.bd_tenant_ids ?? [],
    };
    res.locals.actor = actor;
    res.locals.ability = defineAbilityFor(actor);
    req.log?.setBindings?.({ userId: actor.userId, role: actor.role });
    next();
  };
}
