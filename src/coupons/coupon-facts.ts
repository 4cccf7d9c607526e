import type { CouponFacts } from '../billing/eligibility';
import { toBigInt } from '../shared/money';

/** A coupon row as the pure eligibility rules see it; read the same way by checkout and billing. */
export interface CouponRow {
  id: string;
  account_id: string;
  currency: string;
  balance: string;
  status: CouponFacts['status'];
  usage: CouponFacts['usage'];
  valid_from: Date;
  valid_until: Date;
  issued_at: Date;
  product_codes: string[];
  billing_modes: CouponFacts['billingModes'][number][];
  scenarios: CouponFacts['scenarios'][number][];
  min_spend: string | null;
  max_duration_months: number | null;
  allow_promotional: boolean;
}

const COLUMNS = [
  'id', 'account_id', 'currency', 'balance::text', 'status', 'usage', 'valid_from', 'valid_until', 'issued_at', 'product_codes',
  'billing_modes', 'scenarios', 'min_spend::text', 'max_duration_months', 'allow_promotional',
];

/**
 * The select list for couponFacts(), optionally qualified by a table alias. `holder`: the SQL of
 * the account judged as holding the coupon (a shared voucher has no account of its own, R32).
 */
export function couponFactColumns(alias?: string, holder?: string): string {
  return COLUMNS.map((c) => (c === 'account_id' && holder ? `${holder} AS account_id` : alias ? `${alias}.${c}` : c)).join(', ');
}

/**
 * The ids of the coupons an account may spend: its own, and the vouchers shared with it (R32).
 * `tenant` and `account` are SQL expressions.
 */
export function spendableCouponIds(tenant: string, account: string): string {
  return `(SELECT id FROM coupons WHERE tenant_id = ${tenant} AND account_id = ${account}
           UNION ALL SELECT coupon_id FROM coupon_holders WHERE tenant_id = ${tenant} AND account_id = ${account})`;
}

export function couponFacts(r: CouponRow): CouponFacts {
  return {
    id: r.id,
    accountId: r.account_id,
    currency: r.currency,
    balance: toBigInt(r.balance),
    status: r.status,
    usage: r.usage,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    issuedAt: r.issued_at,
    productCodes: r.product_codes,
    billingModes: r.billing_modes,
    scenarios: r.scenarios,
    minSpend: r.min_spend === null ? null : toBigInt(r.min_spend),
    maxDurationMonths: r.max_duration_months,
    allowPromotional: r.allow_promotional,
  };
}
