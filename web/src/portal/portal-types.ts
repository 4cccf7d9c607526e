// The shapes of the /v1 answers the portal reads (kept here, beside the shared api-types.ts, so the
// areas can grow apart without editing one file). Amounts are strings of integer minor units.
import type { Template } from '../api-types';
export type { IssuanceItem, IssuanceRequest, Page, RequestStatus, Template } from '../api-types';

/** GET /v1/accounts items (src/tenancy/accounts/account.schema.ts). */
export interface Account {
  id: string;
  partnerId: string;
  kind: 'customer' | 'reseller';
  resellerPartnerId: string | null;
  name: string;
  status: 'active' | 'deactivated';
  createdAt: string;
}

/** GET /v1/products items. */
export interface Product {
  code: string;
  name: string;
  category: string;
  excludedFromGeneral: boolean;
  marketplace: boolean;
}

/** GET /v1/templates items: the shared Template plus what the portal's list shows. */
export interface PortalTemplate extends Template {
  issued: boolean;
  committed: { count: number; amount: string };
  createdAt: string;
}

/** GET /v1/issuance-requests/:id/history items (src/audit/history.ts). */
export interface AuditEvent {
  id: string;
  at: string;
  action: string;
  actorKind: 'user' | 'system';
  from: string | null;
  to: string | null;
  reason: string | null;
}

/** GET /v1/partners/:id/coupon-deductions (src/billing/coupon-deductions.ts). */
export interface DeductionRow {
  month: string;
  accountId: string;
  accountName: string;
  currency: string;
  deducted: string;
  returned: string;
  net: string;
}
export interface Deductions {
  partnerId: string;
  from: string;
  to: string;
  items: DeductionRow[];
}
