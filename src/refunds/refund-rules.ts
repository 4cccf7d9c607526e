/**
 * Refund arithmetic (R27-R30, R34) as pure functions: no database, no HTTP, no clock.
 * A refusal is a value with a stable code, never an exception; every term of a refund is shown.
 *
 * Choices, applied everywhere:
 * - Time is elapsed milliseconds (R34). The five-day window is paid_at + 120 hours, inclusive.
 * - The subscribed period runs from paid_at for the item's duration in UTC calendar months (a day
 *   past the end of the target month clamps to its last day: Jan 31 + 1 month = Feb 28/29).
 *   The used period is now - paid_at; both are compared in milliseconds.
 * - Term class by the duration in months: >= 36 three-year, >= 24 two-year, >= 12 one-year,
 *   shorter monthly. A fee band "used up to N years" includes its end: used <= paid_at + 12N months.
 * - Integer arithmetic on bigint only. The handling fee (a rate in basis points of the cash paid)
 *   and the amount due are each rounded half up to the minor unit; the refund is
 *   cash paid - fee - amount due, never below 0. Under `proportional` the coupon gets back
 *   deduction - round_half_up(deduction x used / subscribed): the unused share, same ratio.
 * - An order is refunded whole. The five-day refund (R27) needs only the time of payment; a
 *   partial refund (R28) needs one subscribed period, so every item must carry the same duration.
 * - Order of checks: already refunded, pay-as-you-go, non-refundable product, grace or retention
 *   (R29), then R27 (window and R30's yearly count), then R28.
 */

export type TermClass = 'three_year' | 'two_year' | 'one_year' | 'monthly';
export type RefundPolicy = 'none' | 'proportional';
export type ResourceState = 'active' | 'grace_period' | 'retention_period';
export type RefundRule = 'five_day_full' | 'partial';
export type RefundRefusal =
  | 'already_refunded' | 'payg_not_refundable' | 'product_not_refundable' | 'resource_in_grace_period'
  | 'resource_in_retention_period' | 'not_a_subscription' | 'mixed_terms' | 'term_ended';

export const FIVE_DAY_WINDOW_MS = 120 * 3_600_000;
export const FIVE_DAY_REFUNDS_PER_YEAR = 10;
const BASIS_POINTS = 10_000n;

export interface FeeBand {
  /** The band covers a used period up to paid_at + this many months, inclusive; null: to the end. */
  readonly usedUpToMonths: number | null;
  readonly rateBp: number;
}

/** R28's handling-fee table, the one place it lives: a share of the cash paid, in basis points. */
export const HANDLING_FEES: Readonly<Record<TermClass, readonly FeeBand[]>> = {
  three_year: [{ usedUpToMonths: 12, rateBp: 1500 }, { usedUpToMonths: 24, rateBp: 1000 }, { usedUpToMonths: null, rateBp: 500 }],
  two_year: [{ usedUpToMonths: 12, rateBp: 1500 }, { usedUpToMonths: null, rateBp: 1000 }],
  one_year: [{ usedUpToMonths: null, rateBp: 1000 }],
  monthly: [{ usedUpToMonths: null, rateBp: 1000 }],
};

export interface RefundItem {
  productCode: string;
  durationMonths: number | null;
  refundable: boolean;
}

export interface RefundFacts {
  mode: 'prepaid' | 'payg';
  orderStatus: 'paid' | 'refunded';
  paidAt: Date;
  now: Date;
  /** What the customer paid in cash: never the coupon deduction (R28). */
  cashPaid: bigint;
  couponDeduction: bigint;
  items: readonly RefundItem[];
  resourceState: ResourceState;
  /** The account's five-day full refunds in now's UTC calendar year (R30). */
  fiveDayRefundsThisYear: number;
  policy: RefundPolicy;
}

export interface Subscription {
  months: number;
  termClass: TermClass;
  start: Date;
  end: Date;
  ms: bigint;
}

export interface RefundTerms {
  cashPaid: bigint;
  couponDeduction: bigint;
  usedMs: bigint;
  subscription: Subscription | null;
  feeBand: FeeBand | null;
  feeRateBp: number;
  handlingFee: bigint;
  amountDue: bigint;
  refund: bigint;
  couponReturn: bigint;
}

export type RefundDecision =
  | { ok: true; rule: RefundRule; terms: RefundTerms; why: string[] }
  | { ok: false; code: RefundRefusal; why: string[] };

/** a / b rounded half up, for a >= 0 and b > 0. */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  if (a < 0n || b <= 0n) throw new RangeError('divRoundHalfUp takes a >= 0 and b > 0');
  return (2n * a + b) / (2n * b);
}

/** d + n calendar months in UTC, the day clamped to the target month's last day. */
export function addMonthsUtc(d: Date, n: number): Date {
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return first;
}

export function termClassOf(months: number): TermClass {
  if (months >= 36) return 'three_year';
  if (months >= 24) return 'two_year';
  if (months >= 12) return 'one_year';
  return 'monthly';
}

/** The band of `subscription`'s class that a used period of `usedMs` falls in. */
export function feeBandFor(sub: Pick<Subscription, 'termClass' | 'start'>, usedMs: bigint): FeeBand {
  const bands = HANDLING_FEES[sub.termClass];
  const band = bands.find((b) => b.usedUpToMonths === null || usedMs <= BigInt(addMonthsUtc(sub.start, b.usedUpToMonths).getTime() - sub.start.getTime()));
  return band ?? bands[bands.length - 1]!; // every class has bands (HANDLING_FEES)
}

const pct = (bp: number) => `${bp / 100}%`;

export function formatElapsed(ms: bigint): string {
  const s = ms / 1000n;
  return `${s / 3600n}h ${(s % 3600n) / 60n}m ${s % 60n}s`;
}

function refusal(f: RefundFacts): { code: RefundRefusal; why: string } | null {
  if (f.orderStatus === 'refunded') return { code: 'already_refunded', why: 'the order has already been refunded' };
  if (f.mode === 'payg') return { code: 'payg_not_refundable', why: 'pay-as-you-go usage is not refundable (R29)' };
  const locked = f.items.filter((i) => !i.refundable).map((i) => i.productCode);
  if (locked.length) return { code: 'product_not_refundable', why: `${[...new Set(locked)].join(', ')} is marked non-refundable (R29)` };
  if (f.resourceState === 'grace_period') return { code: 'resource_in_grace_period', why: 'the resource is in its grace period (R29)' };
  if (f.resourceState === 'retention_period') return { code: 'resource_in_retention_period', why: 'the resource is in its retention period (R29)' };
  return null;
}

function subscriptionOf(f: RefundFacts): Subscription | { code: 'not_a_subscription' | 'mixed_terms'; why: string } {
  const months = [...new Set(f.items.map((i) => i.durationMonths))];
  if (months.includes(null)) return { code: 'not_a_subscription', why: 'an item has no subscribed duration, so there is no period to prorate (R28)' };
  if (months.length !== 1) return { code: 'mixed_terms', why: `the items have different durations (${months.join(', ')} months); a partial refund prorates one subscribed period (R28)` };
  const m = months[0] as number;
  const end = addMonthsUtc(f.paidAt, m);
  return { months: m, termClass: termClassOf(m), start: f.paidAt, end, ms: BigInt(end.getTime() - f.paidAt.getTime()) };
}

export function decideRefund(f: RefundFacts): RefundDecision {
  const refused = refusal(f);
  if (refused) return { ok: false, code: refused.code, why: [refused.why] };
  const elapsed = BigInt(f.now.getTime() - f.paidAt.getTime());
  const usedMs = elapsed > 0n ? elapsed : 0n;
  const sub = subscriptionOf(f);
  const subscription = 'code' in sub ? null : sub;
  const within = usedMs <= BigInt(FIVE_DAY_WINDOW_MS);
  const year = f.now.getUTCFullYear();
  const count = `${f.fiveDayRefundsThisYear} of ${FIVE_DAY_REFUNDS_PER_YEAR} five-day refunds used in ${year}`;
  const when = `paid ${formatElapsed(usedMs)} ago, ${within ? 'within' : 'after'} the 120-hour window`;

  if (within && f.fiveDayRefundsThisYear < FIVE_DAY_REFUNDS_PER_YEAR) {
    return {
      ok: true,
      rule: 'five_day_full',
      terms: { cashPaid: f.cashPaid, couponDeduction: f.couponDeduction, usedMs, subscription, feeBand: null, feeRateBp: 0, handlingFee: 0n, amountDue: 0n, refund: f.cashPaid, couponReturn: f.couponDeduction },
      why: [
        `${when} (R27); ${count} (R30)`,
        `five-day full refund: all cash paid (${f.cashPaid}) comes back and the coupon deduction (${f.couponDeduction}) returns to its coupon`,
      ],
    };
  }
  const notFull = within ? `${when}, but ${count} (R30)` : `${when} (R27)`;
  if ('code' in sub) return { ok: false, code: sub.code, why: [notFull, sub.why] };
  if (usedMs >= sub.ms) return { ok: false, code: 'term_ended', why: [notFull, `the subscribed period ended at ${sub.end.toISOString()}: nothing is left to unsubscribe`] };

  const band = feeBandFor(sub, usedMs);
  const handlingFee = divRoundHalfUp(f.cashPaid * BigInt(band.rateBp), BASIS_POINTS);
  const amountDue = divRoundHalfUp(f.cashPaid * usedMs, sub.ms);
  const net = f.cashPaid - handlingFee - amountDue;
  const refund = net > 0n ? net : 0n;
  const couponReturn = f.policy === 'proportional' ? f.couponDeduction - divRoundHalfUp(f.couponDeduction * usedMs, sub.ms) : 0n;
  const bandText = band.usedUpToMonths === null ? 'the last band' : `used up to ${band.usedUpToMonths} months`;
  return {
    ok: true,
    rule: 'partial',
    terms: { cashPaid: f.cashPaid, couponDeduction: f.couponDeduction, usedMs, subscription: sub, feeBand: band, feeRateBp: band.rateBp, handlingFee, amountDue, refund, couponReturn },
    why: [
      notFull,
      `partial refund (R28) = cash paid ${f.cashPaid} - handling fee ${handlingFee} - amount due ${amountDue} = ${refund}${net < 0n ? ' (never below 0)' : ''}`,
      `handling fee: ${pct(band.rateBp)} of the cash paid, for a ${sub.termClass.replace('_', '-')} product (${sub.months} months) ${bandText}`,
      `amount due: cash paid x used ${usedMs} ms / subscribed ${sub.ms} ms, rounded half up`,
      f.policy === 'proportional'
        ? `refund policy proportional: the unused share of the coupon deduction (${couponReturn} of ${f.couponDeduction}) returns to its coupon`
        : `refund policy none: the coupon deduction (${f.couponDeduction}) is not returned`,
    ],
  };
}
