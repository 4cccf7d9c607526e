import { isApplicable, type CouponFacts, type ProductFacts } from './eligibility';
import { allocate, paygOrder } from './priority';

export interface BillFacts {
  id: string;
  accountId: string;
  productCode: string;
  currency: string;
  amount: bigint;
  status: 'unpaid' | 'paid' | 'overdue';
  at: Date; // the instant the bill is judged at: the end of its period
}

export interface Deduction {
  billId: string;
  couponId: string;
  accountId: string;
  amount: bigint;
  balanceAfter: bigint; // the coupon's balance after this deduction
}

/**
 * R23 for one account's bills of a cycle: no selection; product-limited coupons first, general
 * after, each group by earliest expiry (ties: issuance, then id); several coupons may cover one
 * bill until it is covered. Bills are taken in product-code order; a coupon's balance is shared
 * across them, and a one-time coupon pays once. Pure: the caller holds the coupons' row locks.
 */
export function applyCoupons(bills: BillFacts[], coupons: CouponFacts[], catalog: ReadonlyMap<string, ProductFacts>): Deduction[] {
  // Working copies, in R23 order, whose balance goes down as they pay: the inputs stay untouched.
  const ordered = paygOrder(coupons).map((c) => ({ ...c }));
  const spentOnce = new Set<string>();
  const out: Deduction[] = [];
  for (const bill of [...bills].sort((a, b) => (a.productCode < b.productCode ? -1 : a.productCode > b.productCode ? 1 : 0))) {
    if (bill.amount <= 0n) continue;
    const payment = {
      accountId: bill.accountId,
      currency: bill.currency,
      at: bill.at,
      mode: 'payg' as const,
      items: [{ productCode: bill.productCode, amount: bill.amount }],
      promotional: false,
      paidOnBehalf: false,
      billOverdue: bill.status === 'overdue', // R20: an overdue bill takes no coupon
      accountHasOverdue: false,
      frozenFunds: false,
    };
    const usable = ordered.filter((c) => !spentOnce.has(c.id) && isApplicable(c, payment, catalog).ok);
    for (const a of allocate(bill.amount, usable.map((c) => ({ id: c.id, available: c.balance })))) {
      const coupon = usable.find((c) => c.id === a.id)!;
      coupon.balance -= a.amount;
      if (coupon.usage === 'one_time') spentOnce.add(a.id);
      out.push({ billId: bill.id, couponId: a.id, accountId: bill.accountId, amount: a.amount, balanceAfter: coupon.balance });
    }
  }
  return out;
}
