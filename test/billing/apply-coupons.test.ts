import { expect } from 'chai';
import { applyCoupons, type BillFacts } from '../../src/billing/apply-coupons';
import type { CouponFacts, ProductFacts } from '../../src/billing/eligibility';

const day = (d: number): Date => new Date(Date.UTC(2025, 0, d));
const catalog = new Map<string, ProductFacts>([
  ['cvm', { code: 'cvm', excludedFromGeneral: false, marketplace: false }],
  ['mysql', { code: 'mysql', excludedFromGeneral: false, marketplace: false }],
  ['support', { code: 'support', excludedFromGeneral: true, marketplace: false }],
]);
const coupon = (id: string, o: Partial<CouponFacts> = {}): CouponFacts => ({
  id, accountId: 'acct', currency: 'USD', balance: 1000n, status: 'unused', usage: 'reusable', validFrom: day(1), validUntil: day(30), issuedAt: day(1),
  productCodes: [], billingModes: ['payg'], scenarios: [], minSpend: null, maxDurationMonths: null, allowPromotional: false, ...o,
});
const bill = (id: string, productCode: string, amount: bigint, o: Partial<BillFacts> = {}): BillFacts => ({
  id, accountId: 'acct', productCode, currency: 'USD', amount, status: 'unpaid', at: day(10), ...o,
});
const brief = (ds: ReturnType<typeof applyCoupons>) => ds.map((d) => `${d.billId}<${d.couponId}:${d.amount}/${d.balanceAfter}`);

describe('R20 R23 applyCoupons: one account\'s bills of a cycle, coupons applied without selection', () => {
  it('R23: product-limited coupons first, then general ones by earliest expiry; several cover one bill', () => {
    const coupons = [coupon('late', { validUntil: day(29) }), coupon('early', { validUntil: day(20), balance: 300n }), coupon('cvm-only', { productCodes: ['cvm'], balance: 500n })];
    expect(brief(applyCoupons([bill('b1', 'cvm', 1000n)], coupons, catalog))).to.deep.equal(['b1<cvm-only:500/0', 'b1<early:300/0', 'b1<late:200/800']);
  });

  it('R23: a coupon\'s balance is shared across the bills, taken in product order; a one-time coupon pays once; the inputs stay as they were', () => {
    const coupons = [coupon('once', { usage: 'one_time', validUntil: day(15), balance: 5000n }), coupon('rest', { balance: 700n })];
    const bills = [bill('m', 'mysql', 400n), bill('c', 'cvm', 300n), bill('s', 'support', 100n)];
    expect(brief(applyCoupons(bills, coupons, catalog))).to.deep.equal(['c<once:300/4700', 'm<rest:400/300']);
    expect(coupons.map((c) => c.balance)).to.deep.equal([5000n, 700n]);
    expect(bills.map((b) => b.id)).to.deep.equal(['m', 'c', 's']);
  });

  it('R20: an overdue bill takes no coupon; R14: an expired or exhausted coupon pays nothing', () => {
    const coupons = [coupon('gone', { validUntil: day(5) }), coupon('empty', { balance: 0n }), coupon('ok')];
    expect(brief(applyCoupons([bill('late', 'cvm', 100n, { status: 'overdue' }), bill('due', 'mysql', 100n)], coupons, catalog))).to.deep.equal(['due<ok:100/900']);
  });
});
