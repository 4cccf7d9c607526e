/**
 * Coupon eligibility (R13-R21, R34) as pure functions: no database, no HTTP, no clock.
 * An expected refusal is a value with a stable code the quote can show, never an exception.
 *
 * Checks run in a fixed order and the first failing one is the answer (see CHECKS below):
 *   wrong_account, not_usable | expired (status), not_yet_valid, expired (window), exhausted,
 *   currency_mismatch, billing_mode, scenario, promotional_order, paid_on_behalf, overdue_bill,
 *   account_overdue, frozen_funds, no_item_in_scope, min_spend_not_met, duration_too_long.
 * Identity and status first (whose coupon, is it alive), then the payment's shape, then the
 * exclusions, and last the amounts, which need the catalog.
 */

export type Scenario = 'purchase' | 'renewal' | 'upgrade' | 'os_change' | 'trial_conversion';
export type BillingMode = 'prepaid' | 'payg';

export interface CouponFacts {
  id: string;
  accountId: string;
  currency: string;
  balance: bigint; // minor units
  status: 'unused' | 'used' | 'expired' | 'pending_activation' | 'revoked';
  usage: 'one_time' | 'reusable';
  validFrom: Date;
  validUntil: Date;
  issuedAt: Date;
  productCodes: readonly string[]; // empty = general coupon
  billingModes: readonly BillingMode[];
  scenarios: readonly Scenario[];
  minSpend: bigint | null;
  maxDurationMonths: number | null;
  allowPromotional: boolean;
}

export interface ProductFacts {
  code: string;
  excludedFromGeneral: boolean;
  marketplace: boolean;
}

/** One line of a payment; amount > 0, in minor units. durationMonths only for subscriptions. */
export interface PaymentItem {
  productCode: string;
  amount: bigint;
  durationMonths?: number;
}

export interface Payment {
  accountId: string;
  currency: string;
  at: Date;
  mode: BillingMode;
  scenario?: Scenario; // prepaid only
  items: readonly PaymentItem[];
  promotional: boolean; // an order from a promotional campaign (R20)
  paidOnBehalf: boolean; // a reseller pays on behalf of one of its customers (R20)
  billOverdue: boolean; // payg: this bill is overdue (R20)
  accountHasOverdue: boolean; // the account has an overdue bill (R20: no coupon on any new purchase)
  frozenFunds: boolean; // frozen funds or deposits (R20)
}

export type RefusalCode =
  | 'wrong_account' | 'not_usable' | 'not_yet_valid' | 'expired' | 'exhausted' | 'currency_mismatch'
  | 'billing_mode' | 'scenario' | 'promotional_order' | 'paid_on_behalf' | 'overdue_bill'
  | 'account_overdue' | 'frozen_funds' | 'no_item_in_scope' | 'min_spend_not_met' | 'duration_too_long';

export type Eligibility = { ok: true; scopeAmount: bigint; deduction: bigint } | { ok: false; code: RefusalCode };

/**
 * R15: a product coupon covers exactly its listed products (marketplace or excluded ones too, if
 * listed); a general coupon covers every product except those excluded from general coupons and
 * marketplace products. A product unknown to the catalog is outside a general coupon's scope:
 * when in doubt, no discount rather than a discount the catalog never allowed.
 */
export function inScope(
  coupon: Pick<CouponFacts, 'productCodes'>,
  item: Pick<PaymentItem, 'productCode'>,
  catalog: ReadonlyMap<string, ProductFacts>,
): boolean {
  if (coupon.productCodes.length > 0) return coupon.productCodes.includes(item.productCode);
  const product = catalog.get(item.productCode);
  return product !== undefined && !product.excludedFromGeneral && !product.marketplace;
}

/** The whole payment, every item, in minor units (R18 compares this, not the in-scope part). */
export function paymentTotal(payment: Pick<Payment, 'items'>): bigint {
  return payment.items.reduce((sum, item) => sum + item.amount, 0n);
}

interface Context {
  coupon: CouponFacts;
  payment: Payment;
  scoped: readonly PaymentItem[]; // the payment's items inside the coupon's scope (R15)
}
type Check = (ctx: Context) => RefusalCode | null;

/** The rulebook's checks, in the order they run; the first non-null result is the refusal. */
const CHECKS: readonly Check[] = [
  // R13: a coupon belongs to one account.
  ({ coupon, payment }) => (coupon.accountId !== payment.accountId ? 'wrong_account' : null),
  // R14: only an unused coupon applies; an expired status says so with its own code.
  ({ coupon }) => (coupon.status === 'expired' ? 'expired' : coupon.status !== 'unused' ? 'not_usable' : null),
  // R14 R34: the validity window includes validFrom and excludes validUntil.
  ({ coupon, payment }) => (payment.at.getTime() < coupon.validFrom.getTime() ? 'not_yet_valid' : null),
  ({ coupon, payment }) => (payment.at.getTime() >= coupon.validUntil.getTime() ? 'expired' : null),
  // R14: nothing left to deduct (a status not yet updated to `used` must not deduct zero).
  ({ coupon }) => (coupon.balance <= 0n ? 'exhausted' : null),
  // Money is an amount plus a currency; a coupon never converts.
  ({ coupon, payment }) => (coupon.currency !== payment.currency ? 'currency_mismatch' : null),
  // R16
  ({ coupon, payment }) => (coupon.billingModes.includes(payment.mode) ? null : 'billing_mode'),
  // R17: a prepaid payment must name a scenario the coupon lists; pay-as-you-go has none.
  ({ coupon, payment }) =>
    payment.mode === 'prepaid' && (payment.scenario === undefined || !coupon.scenarios.includes(payment.scenario))
      ? 'scenario'
      : null,
  // R20 exclusions.
  ({ coupon, payment }) => (payment.promotional && !coupon.allowPromotional ? 'promotional_order' : null),
  ({ payment }) => (payment.paidOnBehalf ? 'paid_on_behalf' : null),
  ({ payment }) => (payment.mode === 'payg' && payment.billOverdue ? 'overdue_bill' : null),
  // R20: "any new purchase" = a prepaid `purchase`; renewals and upgrades of what is owned are not new.
  ({ payment }) =>
    payment.mode === 'prepaid' && payment.scenario === 'purchase' && payment.accountHasOverdue ? 'account_overdue' : null,
  ({ payment }) => (payment.frozenFunds ? 'frozen_funds' : null),
  // R15
  ({ scoped }) => (scoped.length === 0 ? 'no_item_in_scope' : null),
  // R18: the payment total must exceed the threshold strictly.
  ({ coupon, payment }) =>
    coupon.minSpend !== null && !(paymentTotal(payment) > coupon.minSpend) ? 'min_spend_not_met' : null,
  // R19: prepaid subscriptions only; an in-scope item without a duration is not a subscription.
  ({ coupon: { maxDurationMonths: max }, payment, scoped }) =>
    payment.mode === 'prepaid' && max !== null && scoped.some((i) => i.durationMonths !== undefined && i.durationMonths > max)
      ? 'duration_too_long'
      : null,
];

/** R13-R21: does this coupon apply to this payment, and how much would it deduct? */
export function isApplicable(
  coupon: CouponFacts,
  payment: Payment,
  catalog: ReadonlyMap<string, ProductFacts>,
): Eligibility {
  const scoped = payment.items.filter((item) => inScope(coupon, item, catalog));
  const ctx: Context = { coupon, payment, scoped };
  for (const check of CHECKS) {
    const code = check(ctx);
    if (code !== null) return { ok: false, code };
  }
  const scopeAmount = scoped.reduce((sum, item) => sum + item.amount, 0n);
  // R21: min(balance, amount in scope); the rest is paid in cash.
  const deduction = coupon.balance < scopeAmount ? coupon.balance : scopeAmount;
  return { ok: true, scopeAmount, deduction };
}
