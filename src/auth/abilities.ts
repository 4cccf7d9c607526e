import { AbilityBuilder, createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Actor } from './actor';
import { ACCOUNT_ROLES, PARTNER_ROLES, VENDOR_ROLES, type Role } from '../tenancy/users/user.entity';

/**
 * Every permission of the platform, in one place (R3). Conditions name entity properties and
 * always carry the tenant, so the same rules both check a loaded record and, turned into SQL by
 * auth/ability-sql.ts, filter every list query (R1, R2).
 */
export type Action = 'manage' | 'create' | 'read' | 'update' | 'deactivate' | 'revoke';
export type Subject = 'Partner' | 'Account' | 'User' | 'ApiToken' | 'QueueDashboard' | 'all';
export type AppAbility = MongoAbility<[Action, Subject | Record<PropertyKey, unknown>]>;

type Builder = AbilityBuilder<AppAbility>;
const CHANGE: Action[] = ['create', 'read', 'update', 'deactivate'];

function everyone(a: Actor, { can }: Builder): void {
  can('read', 'User', { id: a.userId });
  can('update', 'User', ['name'], { id: a.userId });
  can(['create', 'read', 'revoke'], 'ApiToken', { userId: a.userId });
}

const byRole: Record<Role, (a: Actor, b: Builder) => void> = {
  platform_admin(_a, { can }) {
    can('manage', 'Partner');
    can('read', 'Account');
    can('manage', 'User');
    can('manage', 'ApiToken');
    can('read', 'QueueDashboard');
  },
  bd(a, { can }) {
    can('read', 'Partner', { tenantId: { $in: [...a.bdTenantIds] } });
  },
  partner_admin(a, { can }) {
    can('read', 'Partner', { id: a.partnerId });
    can('update', 'Partner', ['name'], { id: a.partnerId });
    if (a.partnerTier === 1) {
      can(['create', 'read', 'deactivate'], 'Partner', { parentId: a.partnerId, tenantId: a.tenantId });
      can('update', 'Partner', ['name'], { parentId: a.partnerId, tenantId: a.tenantId });
    }
    can(CHANGE, 'Account', { partnerId: a.partnerId, tenantId: a.tenantId });
    can(['read', 'update', 'deactivate'], 'User', { partnerId: a.partnerId, tenantId: a.tenantId });
    can('create', 'User', { partnerId: a.partnerId, accountId: null, role: { $in: [...PARTNER_ROLES] } });
    can('create', 'User', { partnerId: a.partnerId, accountId: { $ne: null }, role: { $in: [...ACCOUNT_ROLES] } });
    can(['create', 'read', 'revoke'], 'ApiToken', { partnerId: a.partnerId, tenantId: a.tenantId });
  },
  partner_operator(a, { can }) {
    can('read', 'Partner', { id: a.partnerId });
    can('read', 'Account', { partnerId: a.partnerId, tenantId: a.tenantId });
    can('read', 'User', { partnerId: a.partnerId, accountId: null, tenantId: a.tenantId });
  },
  partner_viewer(a, { can }) {
    can('read', 'Partner', { id: a.partnerId });
    can('read', 'Account', { partnerId: a.partnerId, tenantId: a.tenantId });
    can('read', 'User', { partnerId: a.partnerId, accountId: null, tenantId: a.tenantId });
  },
  account_owner(a, { can }) {
    can('read', 'Account', { id: a.accountId, tenantId: a.tenantId });
    can('update', 'Account', ['name'], { id: a.accountId, tenantId: a.tenantId });
    can(['read', 'update', 'deactivate'], 'User', { accountId: a.accountId, tenantId: a.tenantId });
    can('create', 'User', { accountId: a.accountId, role: { $in: [...ACCOUNT_ROLES] } });
    can(['create', 'read', 'revoke'], 'ApiToken', { accountId: a.accountId, tenantId: a.tenantId });
  },
  account_finance(a, { can }) {
    can('read', 'Account', { id: a.accountId, tenantId: a.tenantId });
    can('read', 'User', { accountId: a.accountId, tenantId: a.tenantId });
  },
  account_member(a, { can }) {
    can('read', 'Account', { id: a.accountId, tenantId: a.tenantId });
    can('read', 'User', { accountId: a.accountId, tenantId: a.tenantId });
  },
};

export function defineAbilityFor(actor: Actor): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  everyone(actor, builder);
  byRole[actor.role](actor, builder);
  // Vendor roles never belong to a tenant; a partner or account can never create one.
  builder.cannot('create', 'User', { role: { $in: [...VENDOR_ROLES] }, partnerId: { $ne: null } });
  return builder.build();
}
