import type { Role } from '../tenancy/users/user.entity';

/** Who is calling, as established from their token (see auth/authenticate.ts). */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
  readonly tenantId: string | null; // tier-1 partner at the top of the tree; null for vendor staff
  readonly partnerId: string | null; // the user's partner (the owning partner, for account users)
  readonly partnerTier: 1 | 2 | null;
  readonly accountId: string | null;
  readonly bdTenantIds: readonly string[]; // for a BD: the tier-1 partners assigned to them
}

/** The web session a request was signed with (its cc_session cookie); absent for bearer tokens. */
export interface SessionRef {
  readonly id: string;
  readonly csrfToken: string;
}
