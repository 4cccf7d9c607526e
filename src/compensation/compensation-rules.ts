/**
 * R33 fault compensation as pure functions: no database, no HTTP, no clock; integer arithmetic only.
 *
 *   compensation = daily cost / 24 / 60 x fault minutes x multiple, rounded half up to the minor unit
 *
 * Choices (R34 for time):
 * - Fault minutes: the elapsed time from start to end, a started minute counting whole (90 s is 2
 *   minutes): the customer is never short of a minute the fault lasted.
 * - Daily cost: what the account was billed for the product over the 7 full UTC days before the
 *   day the fault started, divided by the number of those days that carry a bill for it (the cost
 *   of a day the service ran). It is kept as that fraction, so the only rounding is the last one:
 *   amount = round_half_up(billed total x minutes x multiple / (billed days x 1440)).
 * - The claim window is inclusive: a claim at exactly end + 7 x 24 h is in time, 1 ms later is not
 *   (like R27's "within 5 days (120 hours, inclusive)").
 * - Checks run in a fixed order and the first failing one is the answer: excluded cause, claim
 *   window, no billed cost, nothing to compensate (an amount that rounds to 0: a coupon is never 0).
 */

export const FAULT_KINDS = ['unavailability', 'provisioning_delay', 'billing_error'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The multiple of each kind of fault, as one table. */
export const MULTIPLE: Readonly<Record<FaultKind, bigint>> = {
  unavailability: 100n,
  provisioning_delay: 2n,
  billing_error: 2n,
};

export const FAULT_CAUSES = ['platform', 'force_majeure', 'notified_maintenance', 'carrier', 'backbone', 'customer'] as const;
export type FaultCause = (typeof FAULT_CAUSES)[number];

/** Causes that earn no compensation, each with the reason a refused claim shows. `platform` is the vendor's own fault. */
export const EXCLUDED_CAUSES: Readonly<Partial<Record<FaultCause, string>>> = {
  force_majeure: 'the fault was caused by force majeure, which is excluded from compensation',
  notified_maintenance: 'the fault was maintenance notified in advance, which is excluded from compensation',
  carrier: 'the fault was in a carrier\'s network, which is excluded from compensation',
  backbone: 'the fault was in the internet backbone, which is excluded from compensation',
  customer: 'the fault was caused by the customer\'s own doing, which is excluded from compensation',
};

export const CLAIM_WINDOW_MS = 7 * 24 * 3_600_000;
const MINUTE_MS = 60_000n;
const MINUTES_PER_DAY = 1440n;

/** How long a granted compensation coupon is valid: 90 x 24 h from the grant. */
export const COMPENSATION_VALID_MS = 90 * 24 * 3_600_000;

export const isExcluded = (cause: FaultCause): boolean => EXCLUDED_CAUSES[cause] !== undefined;

/** Whole minutes the fault lasted, a started minute counting whole. */
export function faultMinutes(start: Date, end: Date): bigint {
  const ms = BigInt(end.getTime() - start.getTime());
  if (ms <= 0n) throw new RangeError('a fault ends after it starts');
  return (ms + MINUTE_MS - 1n) / MINUTE_MS;
}

export const claimWindowEnd = (end: Date): Date => new Date(end.getTime() + CLAIM_WINDOW_MS);

/** Inclusive: exactly 7 x 24 h after the end is still in time. */
export const withinClaimWindow = (end: Date, at: Date): boolean => at.getTime() <= claimWindowEnd(end).getTime();

/** n / d rounded half up, for n >= 0 and d > 0. */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  if (n < 0n || d <= 0n) throw new RangeError('roundHalfUp takes n >= 0 and d > 0');
  return (2n * n + d) / (2n * d);
}

/** The start (inclusive) and end (exclusive) of the 7 full UTC days before the fault's start day. */
export function costBasisWindow(faultStart: Date): { from: Date; to: Date } {
  const day = 86_400_000;
  const to = new Date(Math.floor(faultStart.getTime() / day) * day);
  return { from: new Date(to.getTime() - 7 * day), to };
}

/** What the account was billed for the product over the basis window, in one currency. */
export interface CostBasis {
  currency: string;
  billedTotal: bigint; // minor units
  billedDays: number; // days of the window with a bill for the product, >= 1
}

export function compensationAmount(basis: CostBasis, minutes: bigint, multiple: bigint): bigint {
  return roundHalfUp(basis.billedTotal * minutes * multiple, BigInt(basis.billedDays) * MINUTES_PER_DAY);
}

export interface FaultFacts {
  kind: FaultKind;
  cause: FaultCause;
  start: Date;
  end: Date;
}

export type ClaimRefusalCode = 'excluded_cause' | 'claim_window_closed' | 'no_billed_cost' | 'nothing_to_compensate';

export interface ClaimTerms {
  kind: FaultKind;
  cause: FaultCause;
  multiple: bigint;
  faultMinutes: bigint;
  claimWindowEndsAt: Date;
  claimedAt: Date;
  basis: CostBasis | null;
}

export type ClaimDecision =
  | { granted: true; amount: bigint; currency: string; terms: ClaimTerms }
  | { granted: false; code: ClaimRefusalCode; reason: string; terms: ClaimTerms };

/** R33: grant or refuse one account's claim on one fault, made at `at`. */
export function decideClaim(fault: FaultFacts, basis: CostBasis | null, at: Date): ClaimDecision {
  const terms: ClaimTerms = {
    kind: fault.kind,
    cause: fault.cause,
    multiple: MULTIPLE[fault.kind],
    faultMinutes: faultMinutes(fault.start, fault.end),
    claimWindowEndsAt: claimWindowEnd(fault.end),
    claimedAt: at,
    basis,
  };
  const refuse = (code: ClaimRefusalCode, reason: string): ClaimDecision => ({ granted: false, code, reason, terms });
  const excluded = EXCLUDED_CAUSES[fault.cause];
  if (excluded !== undefined) return refuse('excluded_cause', excluded);
  if (!withinClaimWindow(fault.end, at)) {
    return refuse('claim_window_closed', `compensation must be claimed within 7 days of the fault's end (by ${terms.claimWindowEndsAt.toISOString()})`);
  }
  if (basis === null || basis.billedDays < 1 || basis.billedTotal <= 0n) {
    return refuse('no_billed_cost', 'the account was billed nothing for this product in the 7 days before the fault, so its daily cost is 0');
  }
  const amount = compensationAmount(basis, terms.faultMinutes, terms.multiple);
  if (amount === 0n) return refuse('nothing_to_compensate', 'the compensation rounds to 0 minor units');
  return { granted: true, amount, currency: basis.currency, terms };
}
