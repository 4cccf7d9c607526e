import type { Actor } from './actor';
import type { Role } from '../tenancy/users/user.entity';

/**
 * What a user's access hangs on, as SQL pieces shared by every way of signing a request (bearer
 * token, session cookie) and by signing in, so the `active` rule and the scope are written once.
 * They expect the user joined as `u`.
 */
export const ACCESS_COLUMNS = `
  u.id AS user_id, u.role, u.tenant_id, u.partner_id, u.account_id, p.tier AS partner_tier,
  (u.status = 'active' AND coalesce(p.status, 'active') = 'active'
    AND coalesce(root.status, 'active') = 'active' AND coalesce(a.status, 'active') = 'active') AS active,
  CASE WHEN u.role = 'bd' THEN
    ARRAY(SELECT bp.id FROM partners bp WHERE bp.bd_user_id = u.id AND bp.tier = 1 ORDER BY bp.id)
  END AS bd_tenant_ids`;

export const ACCESS_JOINS = `
  LEFT JOIN partners p ON p.tenant_id = u.tenant_id AND p.id = u.partner_id
  LEFT JOIN partners root ON root.tenant_id = u.tenant_id AND root.id = u.tenant_id
  LEFT JOIN accounts a ON a.tenant_id = u.tenant_id AND a.id = u.account_id`;

/** The names ACCESS_COLUMNS gives, for a CTE's outer SELECT. */
export const ACCESS_NAMES = 'user_id, role, tenant_id, partner_id, account_id, partner_tier, bd_tenant_ids, active';

export interface AccessRow {
  user_id: string;
  role: Role;
  tenant_id: string | null;
  partner_id: string | null;
  account_id: string | null;
  partner_tier: number | null;
  bd_tenant_ids: string[] | null;
  active: boolean;
}

export function actorFromRow(row: AccessRow): Actor {
  return {
    userId: row.user_id,
    role: row.role,
    tenantId: row.tenant_id,
    partnerId: row.partner_id,
    partnerTier: row.partner_tier === 1 || row.partner_tier === 2 ? row.partner_tier : null,
    accountId: row.account_id,
    bdTenantIds: row.bd_tenant_ids ?? [],
  };
}
