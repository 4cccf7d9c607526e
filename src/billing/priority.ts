/**
 * Coupon priority (R22, R23) and the split of one bill across several coupons, as pure functions.
 * Every ordering is total (the id breaks the last tie) and returns a new array; inputs are never
 * mutated. Bigints are compared as bigints, never through number.
 */

type Cmp<T> = (a: T, b: T) => number;

const byBigintDesc = (a: bigint, b: bigint): number => (a > b ? -1 : a < b ? 1 : 0);
const byDateAsc = (a: Date, b: Date): number => a.getTime() - b.getTime();
// Code-unit order, not localeCompare: the same on every machine and locale.
const byIdAsc = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The first comparator that tells a and b apart decides. */
function chain<T>(...cmps: readonly Cmp<T>[]): Cmp<T> {
  return (a, b) => {
    for (const cmp of cmps) {
      const r = cmp(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
}

interface Ranked {
  id: string;
  validUntil: Date;
  issuedAt: Date;
}

/** R22: the quote's default order: largest balance, then earliest expiry, earliest issuance, id. */
export function checkoutOrder<T extends Ranked & { balance: bigint }>(coupons: readonly T[]): T[] {
  return [...coupons].sort(
    chain<T>(
      (a, b) => byBigintDesc(a.balance, b.balance),
      (a, b) => byDateAsc(a.validUntil, b.validUntil),
      (a, b) => byDateAsc(a.issuedAt, b.issuedAt),
      (a, b) => byIdAsc(a.id, b.id),
    ),
  );
}

/**
 * R23: pay-as-you-go order: product-limited coupons before general ones; within each group,
 * earliest expiry first; ties by earliest issuance, then id.
 */
export function paygOrder<T extends Ranked & { productCodes: readonly string[] }>(coupons: readonly T[]): T[] {
  const group = (c: T): number => (c.productCodes.length > 0 ? 0 : 1);
  return [...coupons].sort(
    chain<T>(
      (a, b) => group(a) - group(b),
      (a, b) => byDateAsc(a.validUntil, b.validUntil),
      (a, b) => byDateAsc(a.issuedAt, b.issuedAt),
      (a, b) => byIdAsc(a.id, b.id),
    ),
  );
}

/**
 * R23: several coupons cover one bill, in the given order, until it is covered; each takes
 * min(available, remaining). A coupon that takes nothing (nothing available, or the bill already
 * covered) is left out. A non-positive bill or amount available deducts nothing.
 */
export function allocate(
  bill: bigint,
  coupons: readonly { id: string; available: bigint }[],
): { id: string; amount: bigint }[] {
  const out: { id: string; amount: bigint }[] = [];
  let remaining = bill;
  for (const coupon of coupons) {
    if (remaining <= 0n) break;
    const amount = coupon.available < remaining ? coupon.available : remaining;
    if (amount <= 0n) continue;
    out.push({ id: coupon.id, amount });
    remaining -= amount;
  }
  return out;
}
