import { AbilityBuilder, createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Actor } from './actor';
import { ACCOUNT_ROLES, PARTNER_ROLES, VENDOR_ROLES, type Role } from '../tenancy/users/user.entity';

/**
 * Every permission of the platform, in one place (R3). Conditions name entity properties and
 * always carry the tenant, so the same rules both check a loaded record and, turned into SQL by
 * auth/ability-sql.ts, filter every list query (R1, R2).
 */
export type Action =
  | 'manage' | 'create' | 'read' | 'update' | 'deactivate' | 'revoke' | 'archive' | 'cancel' | 'decide' | 'settle' | 'refund' | 'reclaim' | 'activate'
  | 'grant' | 'close' | 'void';
export type Subject =
  | 'Partner' | 'Account' | 'User' | 'ApiToken' | 'QueueDashboard' | 'Product' | 'Budget'
  | 'Template' | 'IssuanceRequest' | 'Coupon' | 'CouponGrant' | 'ActivationCode' | 'Order' | 'Bill' | 'BillingRun' | 'Usage' | 'Reconciliation'
  | 'RefundPolicy' | 'VoucherPool' | 'Voucher' | 'Fault' | 'CompensationClaim'
  | 'Settlement' | 'SettlementMonth' | 'Liability' | 'ResellerTotals' | 'PromotionExpense' | 'all';
export type AppAbility = MongoAbility<[Action, Subject | Record<PropertyKey, unknown>]>;

type Builder = AbilityBuilder<AppAbility>;
const CHANGE: Action[] = ['create', 'read', 'update', 'deactivate'];

function everyone(a: Actor, { can }: Builder): void {
  can('read', 'Product');
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
    can('read', ['QueueDashboard', 'Reconciliation']);
    can('manage', ['Product', 'Budget']);
    can('read', ['Template', 'IssuanceRequest', 'Coupon', 'Order', 'Bill']);
    can('manage', ['BillingRun', 'Usage']);
    can('settle', 'Bill');
    can(['create', 'read'], 'VoucherPool'); // R32: the vendor grants quotas
    can('read', 'Voucher');
    // R27-R29: refunds any order, sets the refund policy and (for the provisioning side) an order's resource state.
    can('refund', 'Order');
    can('update', 'Order', ['resourceState']);
    can(['read', 'update'], 'RefundPolicy');
    can('manage', 'Fault'); // R33
    can('read', 'CompensationClaim');
    // R37-R39: every settlement, liability and reseller view; the vendor's promotion expense; closing months.
    can('read', ['Settlement', 'Liability', 'ResellerTotals', 'PromotionExpense']);
    can(['read', 'close'], 'SettlementMonth');
  },
  bd(a, { can }) {
    const mine = { tenantId: { $in: [...a.bdTenantIds] } };
    can('read', ['Partner', 'Template', 'IssuanceRequest'], mine);
    can('decide', 'IssuanceRequest', { ...mine, costBearer: 'vendor' });
    // R36: the BD reads its partners' budgets and grants what the vendor will bear for them.
    can('read', 'Budget', mine);
    can('grant', 'Budget', { ...mine, kind: 'vendor' });
    can('read', 'PromotionExpense', mine); // R37: what the vendor's coupons cost in its partners' trees
  },
  partner_admin(a, { can }) {
    can('read', 'Partner', { id: a.partnerId });
    can('update', 'Partner', ['name'], { id: a.partnerId });
    if (a.partnerTier === 1) {
      can(['create', 'read', 'deactivate'], 'Partner', { parentId: a.partnerId, tenantId: a.tenantId });
      can('update', 'Partner', ['name'], { parentId: a.partnerId, tenantId: a.tenantId });
      // R36: a distributor allocates part of its partner-borne budget to its resellers.
      can('grant', 'Budget', { kind: 'partner', parentId: a.partnerId, tenantId: a.tenantId });
    }
    can(CHANGE, 'Account', { partnerId: a.partnerId, tenantId: a.tenantId });
    can(['read', 'update', 'deactivate'], 'User', { partnerId: a.partnerId, tenantId: a.tenantId });
    can('create', 'User', { partnerId: a.partnerId, accountId: null, role: { $in: [...PARTNER_ROLES] } });
    can('create', 'User', { partnerId: a.partnerId, accountId: { $ne: null }, role: { $in: [...ACCOUNT_ROLES] } });
    can(['create', 'read', 'revoke'], 'ApiToken', { partnerId: a.partnerId, tenantId: a.tenantId });
    issuer(a, can);
    settlementReader(a, can);
  },
  partner_operator(a, { can }) {
    can('read', 'Partner', { id: a.partnerId });
    can('read', 'Account', { partnerId: a.partnerId, tenantId: a.tenantId });
    can('read', 'User', { partnerId: a.partnerId, accountId: null, tenantId: a.tenantId });
    issuer(a, can);
  },
  partner_viewer(a, { can }) {
    can('read', 'Partner', { id: a.partnerId });
    if (a.partnerTier === 1) can('read', 'Budget', { parentId: a.partnerId, tenantId: a.tenantId }); // R36: its resellers' allocations
    can('read', 'Account', { partnerId: a.partnerId, tenantId: a.tenantId });
    can('read', 'User', { partnerId: a.partnerId, accountId: null, tenantId: a.tenantId });
    can('read', ['Template', 'IssuanceRequest', 'Coupon', 'Budget', 'Order', 'Bill', 'VoucherPool', 'Voucher', 'Fault', 'CompensationClaim'], { partnerId: a.partnerId, tenantId: a.tenantId });
    settlementReader(a, can);
  },
  account_owner(a, { can }) {
    can('read', 'Account', { id: a.accountId, tenantId: a.tenantId });
    can('update', 'Account', ['name'], { id: a.accountId, tenantId: a.tenantId });
    can(['read', 'update', 'deactivate'], 'User', { accountId: a.accountId, tenantId: a.tenantId });
    can('create', 'User', { accountId: a.accountId, role: { $in: [...ACCOUNT_ROLES] } });
    can(['create', 'read', 'revoke'], 'ApiToken', { accountId: a.accountId, tenantId: a.tenantId });
    payer(a, can);
  },
  account_finance(a, { can }) {
    can('read', 'Account', { id: a.accountId, tenantId: a.tenantId });
    payer(a, can);
    can('read', 'User', { accountId: a.accountId, tenantId: a.tenantId });
  },
  account_member(a, { can }) {
    can('read', 'Account', { id: a.accountId, tenantId: a.tenantId });
    can('read', 'Fault', { accountId: a.accountId, tenantId: a.tenantId }); // the incident, never its money
    can('read', 'User', { accountId: a.accountId, tenantId: a.tenantId });
  },
};

/** An account's owner and finance users see its coupons, pay with them and refund (R3, R13, R21, R27). */
function payer(a: Actor, can: Builder['can']): void {
  const own = { accountId: a.accountId, tenantId: a.tenantId };
  can('read', 'Coupon', own);
  can('read', 'Coupon', { holderIds: a.accountId, tenantId: a.tenantId }); // a voucher shared with the account (R32)
  // R31: binds an offline coupon to their own account (the subject is the coupon as activated).
  can('activate', 'Coupon', own);
  can(['create', 'read', 'refund'], 'Order', own);
  can('read', 'Bill', own);
  can('read', 'Fault', own);
  can(['create', 'read'], 'CompensationClaim', own); // R33
}

/**
 * R37-R39, for a partner's admins and viewers (its reports): its own settlements and liability; a
 * distributor also its resellers' totals and liability (R39), never their settlements' lines (a
 * reseller's customers are on them). A reseller reads nothing of its distributor's.
 */
function settlementReader(a: Actor, can: Builder['can']): void {
  can('read', ['Settlement', 'Liability'], { partnerId: a.partnerId, tenantId: a.tenantId });
  can('read', 'SettlementMonth');
  if (a.partnerTier === 1) {
    can('read', 'ResellerTotals', { partnerId: a.partnerId, tenantId: a.tenantId });
    can('read', 'Liability', { parentId: a.partnerId, tenantId: a.tenantId });
  }
}

/** Partner admins and operators design templates and issue them (R4-R9). */
function issuer(a: Actor, can: Builder['can']): void {
  const own = { partnerId: a.partnerId, tenantId: a.tenantId };
  can(['create', 'read', 'update', 'archive'], 'Template', own);
  can(['create', 'read', 'cancel'], 'IssuanceRequest', own);
  can('read', ['Coupon', 'Budget', 'Order', 'Bill', 'Fault'], own);
  if (a.partnerTier === 1) can('read', 'Budget', { parentId: a.partnerId, tenantId: a.tenantId }); // R36: its resellers' allocations
  can('create', 'CouponGrant');
  // R32: vouchers from the partner's own quota pools: make, share with its accounts, reclaim.
  can('read', 'VoucherPool', own);
  can(['create', 'read', 'update', 'reclaim'], 'Voucher', own);
  can(['create', 'read'], 'CompensationClaim', own); // R33: a partner claims for its accounts
  can('create', 'ActivationCode', own); // R31: generates the codes of an approved offline request
  can('void', 'Coupon', own); // R35: takes back coupons the partner issued (limits: voidLimits)
}

/**
 * R35: a void takes back what a partner issued from its templates. A voucher's balance goes back
 * to its quota pool by a reclaim instead (R32), and a compensation coupon is the vendor's grant
 * (R33), not the partner's to take back.
 */
function voidLimits({ cannot }: Builder): void {
  cannot('void', 'Coupon', { origin: 'voucher' }).because('a voucher is not voided: reclaim it into its pool');
  cannot('void', 'Coupon', { origin: 'compensation' }).because("a compensation coupon is the vendor's grant: its partner cannot void it");
}

/**
 * R6, as policy rather than an if in a handler: a tier-2 reseller neither creates nor issues
 * vendor-borne templates, and no one issues a vendor-borne coupon to a reseller's own account.
 */
function tierRestrictions(a: Actor, { cannot }: Builder): void {
  if (a.partnerTier === 2 && a.accountId === null) {
    cannot(['create', 'update'], 'Template', { costBearer: 'vendor' }).because('a tier-2 reseller cannot create vendor-borne templates');
    cannot('create', 'IssuanceRequest', { costBearer: 'vendor' }).because('a tier-2 reseller cannot issue vendor-borne templates');
    // Vouchers are vendor-borne (R32): a reseller makes none, even from a pool it somehow holds.
    cannot('create', 'Voucher').because('a tier-2 reseller cannot make vendor-borne vouchers');
  }
  // ...and the vendor grants no voucher quota to a tier-2 reseller in the first place.
  cannot('create', 'VoucherPool', { partnerTier: 2 }).because('a voucher pool makes vendor-borne vouchers, which a tier-2 reseller cannot make');
  cannot('create', 'CouponGrant', { costBearer: 'vendor', accountKind: 'reseller' }).because(
    "a vendor-borne coupon is never issued to a tier-2 reseller's account",
  );
  // R33 grants a vendor-borne coupon, so R6 holds for compensation too.
  cannot('create', 'CompensationClaim', { accountKind: 'reseller' }).because(
    "compensation is a vendor-borne coupon, which is never issued to a tier-2 reseller's account",
  );
  cannot('activate', 'Coupon', { costBearer: 'vendor', accountKind: 'reseller' }).because(
    "a vendor-borne coupon is never issued to a tier-2 reseller's account",
  );
  // R36: a reseller issues no vendor-borne coupons (R6), so the vendor grants it no vendor-borne
  // budget; its partner-borne budget is an allocation of its distributor's, never a vendor grant.
  cannot('grant', 'Budget', { kind: 'vendor', partnerTier: 2 }).because('a tier-2 reseller cannot issue vendor-borne coupons, so it has no vendor-borne budget');
  if (a.role === 'platform_admin' || a.role === 'bd') {
    cannot('grant', 'Budget', { kind: 'partner', partnerTier: 2 }).because("a reseller's partner-borne budget is allocated by its distributor");
  }
}

export function defineAbilityFor(actor: Actor): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  everyone(actor, builder);
  byRole[actor.role](actor, builder);
  tierRestrictions(actor, builder);
  voidLimits(builder);
  // Vendor roles never belong to a tenant; a partner or account can never create one.
  builder.cannot('create', 'User', { role: { $in: [...VENDOR_ROLES] }, partnerId: { $ne: null } });
  return builder.build();
}

/**
 * defineAbilityFor, remembered per actor: an ability is a pure function of the Actor's fields, so
 * two requests of the same actor share one (and CASL compiles each rule's conditions once, not per
 * request). Only what the rules are made of is cached: whether the token and its user are still
 * valid is looked up on every request. Bounded; the oldest entry goes first.
 */
const abilities = new Map<string, AppAbility>();
const MAX_CACHED_ABILITIES = 10_000;

export function abilityFor(actor: Actor): AppAbility {
  const key = [actor.role, actor.userId, actor.tenantId, actor.partnerId, actor.partnerTier, actor.accountId, actor.bdTenantIds.join(',')].join('|');
  let ability = abilities.get(key);
  if (!ability) {
    ability = defineAbilityFor(actor);
    if (abilities.size >= MAX_CACHED_ABILITIES) abilities.delete(abilities.keys().next().value as string);
    abilities.set(key, ability);
  }
  return ability;
}
