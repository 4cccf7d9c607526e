// The shapes of the /v1 answers the billing view reads (src/coupons/coupon-json.ts, wallet.schema.ts,
// src/orders/order.schema.ts, src/refunds/refund.schema.ts, src/billing/statements.ts,
// src/catalog/product.schema.ts). Kept here, not in the shared api-types.ts, and to the fields read.

export type CouponStatus = 'unused' | 'used' | 'expired' | 'pending_activation' | 'revoked';
export const COUPON_STATUSES: CouponStatus[] = ['unused', 'used', 'expired', 'pending_activation', 'revoked'];

export interface Coupon {
  id: string;
  accountId: string | null;
  origin: string;
  templateId: string | null;
  currency: string;
  faceValue: string;
  balance: string;
  status: CouponStatus;
  usage: 'one_time' | 'reusable';
  validFrom: string;
  validUntil: string;
  scope: {
    productCodes: string[];
    billingModes: string[];
    scenarios: string[];
    minSpend: string | null;
    maxDurationMonths: number | null;
    allowPromotional: boolean;
  };
  rules: { templateName?: unknown; description?: unknown } & Record<string, unknown>;
  issuedAt: string;
}

export interface LedgerEntry {
  id: string;
  at: string;
  type: 'issue' | 'deduct' | 'return' | 'reclaim' | 'expire' | 'revoke';
  amount: string;
  balanceAfter: string;
  orderId: string | null;
  billId: string | null;
}

export interface LedgerPage {
  items: LedgerEntry[];
  next: string | null;
}

export interface Product {
  code: string;
  name: string;
  category: string;
  refundable: boolean;
  excludedFromGeneral: boolean;
  marketplace: boolean;
}

export const SCENARIOS = ['purchase', 'renewal', 'upgrade', 'os_change', 'trial_conversion'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface CheckoutBody {
  currency: string;
  scenario: Scenario;
  items: { productCode: string; amount: string; durationMonths?: number }[];
  promotional: boolean;
  paidOnBehalf: boolean;
}

export interface QuotedCoupon {
  couponId: string;
  balance: string;
  deduction: string;
  cash: string;
  validUntil: string;
  usage: 'one_time' | 'reusable';
  productCodes: string[];
}

export interface Quote {
  total: string;
  currency: string;
  applicable: QuotedCoupon[];
}

export interface Order {
  id: string;
  accountId: string;
  currency: string;
  scenario: string;
  total: string;
  couponId: string | null;
  couponDeduction: string;
  cash: string;
  status: 'paid' | 'refunded';
  resourceState: 'active' | 'grace_period' | 'retention_period';
  items?: { productCode: string; amount: string; durationMonths: number | null }[];
  createdAt: string;
}

export interface RefundTerms {
  cashPaid: string;
  couponId: string | null;
  couponDeduction: string;
  handlingFee: { rate: string; band: string | null; amount: string };
  amountDue: string;
  refund: string;
  couponReturn: string;
}

export interface RefundQuote {
  orderId: string;
  currency: string;
  paidAt: string;
  refundable: boolean;
  rule: 'five_day_full' | 'partial' | null;
  refusal: string | null;
  fiveDay: { windowEndsAt: string; refundsThisYear: number; limitPerYear: number; year: number };
  terms: RefundTerms | null;
  explanation: string[];
}

export interface Refund {
  id: string;
  orderId: string;
  currency: string;
  rule: 'five_day_full' | 'partial';
  terms: RefundTerms;
  explanation: string[];
  reason: string | null;
  createdAt: string;
}

export interface StatementLine {
  kind: 'payg' | 'prepaid';
  id: string;
  at: string;
  products: string;
  currency: string;
  amount: string;
  couponDeduction: string;
  coupons: { couponId: string; amount: string }[];
  cashDue: string;
}

export interface Statement {
  accountId: string;
  accountName: string;
  period: 'daily' | 'monthly';
  from: string;
  to: string;
  lines: StatementLine[];
  totals: { currency: string; amount: string; couponDeduction: string; cashDue: string }[];
  refunds: StatementRefund[];
  refundTotals: { currency: string; cashRefund: string; couponReturn: string; handlingFee: string }[];
}

export interface StatementRefund {
  id: string;
  orderId: string;
  at: string;
  rule: 'five_day_full' | 'partial';
  products: string;
  currency: string;
  cashRefund: string;
  couponId: string | null;
  couponReturn: string;
  handlingFee: string;
}

export interface Bill {
  id: string;
  productCode: string;
  currency: string;
  periodStart: string;
  amount: string;
  couponDeduction: string;
  cashDue: string;
  status: 'unpaid' | 'paid' | 'overdue';
  dueAt: string;
}
