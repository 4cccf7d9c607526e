// The shapes of the /v1 answers the web app reads, written from the OpenAPI document (/openapi.json,
// built from the zod schemas in src/**/**.schema.ts and *.routes.ts). Amounts are strings of integer
// minor units; instants are ISO 8601 strings in UTC. Add a type here when a page starts reading a
// new endpoint, and keep it to the fields the page uses.
import type { Role } from './roles';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string | null;
  partnerId: string | null;
  accountId: string | null;
  status: 'active' | 'deactivated';
}

/** GET /v1/me, and the `user` of a web session. */
export interface Me {
  user: User;
  scope: {
    role: Role;
    tenantId: string | null;
    partnerId: string | null;
    partnerTier: number | null;
    accountId: string | null;
    bdPartnerIds: string[];
  };
}

/** POST/GET /v1/session. */
export interface Session {
  user: Me;
  csrfToken: string;
}

export type RequestStatus =
  | 'submitted' | 'pending_approval' | 'approved' | 'issuing' | 'issued' | 'issued_with_failures' | 'rejected' | 'cancelled' | 'expired';

export interface IssuanceRequest {
  id: string;
  tenantId: string;
  partnerId: string;
  templateId: string;
  kind: 'accounts' | 'activation_codes';
  costBearer: 'vendor' | 'partner';
  currency: string;
  faceValue: string;
  totalAccounts: number;
  totalFaceValue: string;
  status: RequestStatus;
  progress: { issued: number; failed: number; total: number };
  submittedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** GET /v1/approval-queue items. */
export interface QueuedRequest extends IssuanceRequest {
  ageSeconds: number;
}

export interface Template {
  id: string;
  partnerId: string;
  name: string;
  description: string;
  currency: string;
  faceValue: string;
  costBearer: 'vendor' | 'partner';
  issueLimit: 'once' | 'unlimited';
  validity: { kind: 'fixed'; from: string; until: string } | { kind: 'relative'; days: number };
  usage: 'one_time' | 'reusable';
  productCodes: string[];
  billingModes: string[];
  scenarios: string[];
  minSpend: string | null;
  maxDurationMonths: number | null;
  allowPromotional: boolean;
  cap: { count: number | null; amount: string | null } | null;
  status: 'active' | 'archived';
}

export interface PastDecision {
  id: string;
  status: RequestStatus;
  currency: string;
  totalFaceValue: string;
  decidedAt: string;
  reason: string | null;
}

/** GET /v1/approval-queue/:id. */
export interface ApprovalDetail {
  request: QueuedRequest;
  partner: { id: string; name: string };
  template: Template;
  pastDecisions: { approved: number; rejected: number; expired: number; recent: PastDecision[] };
}

/** GET /v1/issuance-requests/:id/items. */
export interface IssuanceItem {
  accountId: string;
  accountName: string;
  status: 'pending' | 'issued' | 'failed';
  failureReason: string | null;
  coupon: { id: string; status: string; faceValue: string; used: string; balance: string } | null;
}

export interface Partner {
  id: string;
  name: string;
  tier: number;
}
