import { expect } from 'chai';
import {
  inScope,
  isApplicable,
  paymentTotal,
  type CouponFacts,
  type Eligibility,
  type Payment,
  type ProductFacts,
  type RefusalCode,
} from '../../src/billing/eligibility';

const at = (iso: string): Date => new Date(iso);
const FROM = at('2025-01-01T00:00:00.000Z');
const UNTIL = at('2025-07-01T00:00:00.000Z');

const catalog: ReadonlyMap<string, ProductFacts> = new Map(
  [
    { code: 'cvm', excludedFromGeneral: false, marketplace: false },
    { code: 'mysql', excludedFromGeneral: false, marketplace: false },
    { code: 'cos', excludedFromGeneral: false, marketplace: false },
    { code: 'domain', excludedFromGeneral: true, marketplace: false },
    { code: 'mkt-waf', excludedFromGeneral: false, marketplace: true },
  ].map((p) => [p.code, p]),
);

// A general, reusable 100.00 USD coupon for every mode and scenario, valid for the first half of 2025.
const coupon = (o: Partial<CouponFacts> = {}): CouponFacts => ({
  id: 'c-1',
  accountId: 'acc-1',
  currency: 'USD',
  balance: 10000n,
  status: 'unused',
  usage: 'reusable',
  validFrom: FROM,
  validUntil: UNTIL,
  issuedAt: at('2024-12-31T00:00:00.000Z'),
  productCodes: [],
  billingModes: ['prepaid', 'payg'],
  scenarios: ['purchase', 'renewal', 'upgrade', 'os_change', 'trial_conversion'],
  minSpend: null,
  maxDurationMonths: null,
  allowPromotional: false,
  ...o,
});

// A clean prepaid purchase of one month of CVM for 60.00 USD.
const payment = (o: Partial<Payment> = {}): Payment => ({
  accountId: 'acc-1',
  currency: 'USD',
  at: at('2025-03-01T12:00:00.000Z'),
  mode: 'prepaid',
  scenario: 'purchase',
  items: [{ productCode: 'cvm', amount: 6000n, durationMonths: 1 }],
  promotional: false,
  paidOnBehalf: false,
  billOverdue: false,
  accountHasOverdue: false,
  frozenFunds: false,
  ...o,
});

const ok = (scopeAmount: bigint, deduction: bigint): Eligibility => ({ ok: true, scopeAmount, deduction });
const no = (code: RefusalCode): Eligibility => ({ ok: false, code });
const payg: Partial<Payment> = { mode: 'payg', scenario: undefined, items: [{ productCode: 'cvm', amount: 6000n }] };

interface Row {
  title: string;
  coupon?: Partial<CouponFacts>;
  payment?: Partial<Payment>;
  expect: Eligibility;
  /** The same coupon against contrasting payments: the other side of an edge. */
  also?: readonly { payment: Partial<Payment>; expect: Eligibility }[];
}

const rows: readonly Row[] = [
  { title: 'R21: a clean payment applies and deducts its in-scope amount', expect: ok(6000n, 6000n) },
  // R13
  { title: 'R13: a coupon of another account is refused', payment: { accountId: 'acc-2' }, expect: no('wrong_account') },
  // R14 status
  { title: 'R14: a used coupon is refused', coupon: { status: 'used' }, expect: no('not_usable') },
  { title: 'R14: a revoked coupon is refused', coupon: { status: 'revoked' }, expect: no('not_usable') },
  { title: 'R14: an offline coupon pending activation is refused', coupon: { status: 'pending_activation' }, expect: no('not_usable') },
  { title: 'R14: a coupon whose status is expired is refused as expired, even inside its window', coupon: { status: 'expired' }, expect: no('expired') },
  { title: 'R14: a coupon with no balance left is refused', coupon: { balance: 0n }, expect: no('exhausted') },
  // R14 R34 window edges
  { title: 'R14 R34: the window includes its start (at == validFrom applies)', payment: { at: FROM }, expect: ok(6000n, 6000n) },
  { title: 'R14 R34: 1 ms before validFrom is not yet valid', payment: { at: new Date(FROM.getTime() - 1) }, expect: no('not_yet_valid') },
  { title: 'R14 R34: 1 ms before validUntil still applies', payment: { at: new Date(UNTIL.getTime() - 1) }, expect: ok(6000n, 6000n) },
  { title: 'R14 R34: the window excludes its end (at == validUntil is expired)', payment: { at: UNTIL }, expect: no('expired') },
  { title: 'R14 R34: after validUntil is expired', payment: { at: at('2026-01-01T00:00:00.000Z') }, expect: no('expired') },
  // Currency
  { title: 'R21: a USD coupon never pays a EUR payment', payment: { currency: 'EUR' }, expect: no('currency_mismatch') },
  // R16
  { title: 'R16: a prepaid-only coupon is refused on a pay-as-you-go bill', coupon: { billingModes: ['prepaid'] }, payment: payg, expect: no('billing_mode') },
  { title: 'R16: a pay-as-you-go-only coupon is refused on a prepaid order', coupon: { billingModes: ['payg'] }, expect: no('billing_mode') },
  { title: 'R16 R17: a pay-as-you-go coupon applies to a pay-as-you-go bill, which has no scenario', coupon: { billingModes: ['payg'], scenarios: [] }, payment: payg, expect: ok(6000n, 6000n) },
  // R17
  { title: 'R17: a purchase-only coupon is refused on a renewal', coupon: { scenarios: ['purchase'] }, payment: { scenario: 'renewal' }, expect: no('scenario') },
  { title: 'R17: a prepaid payment that names no scenario is refused', payment: { scenario: undefined }, expect: no('scenario') },
  { title: 'R17: a coupon listing os_change applies to an OS change', coupon: { scenarios: ['os_change'] }, payment: { scenario: 'os_change' }, expect: ok(6000n, 6000n) },
  { title: 'R17: a coupon listing trial_conversion applies to a trial conversion', coupon: { scenarios: ['trial_conversion'] }, payment: { scenario: 'trial_conversion' }, expect: ok(6000n, 6000n) },
  // R20
  { title: 'R20: a promotional-campaign order is refused unless the coupon allows it', payment: { promotional: true }, expect: no('promotional_order') },
  { title: 'R20: a coupon that allows promotional orders applies to one', coupon: { allowPromotional: true }, payment: { promotional: true }, expect: ok(6000n, 6000n) },
  { title: 'R20: an order a reseller pays on behalf of its customer is refused', payment: { paidOnBehalf: true }, expect: no('paid_on_behalf') },
  { title: 'R20: an overdue pay-as-you-go bill is refused', payment: { ...payg, billOverdue: true }, expect: no('overdue_bill') },
  { title: 'R20: a new purchase by an account with an overdue bill is refused', payment: { accountHasOverdue: true }, expect: no('account_overdue') },
  { title: 'R20: a renewal is not a new purchase: an overdue bill elsewhere does not block it', payment: { scenario: 'renewal', accountHasOverdue: true }, expect: ok(6000n, 6000n) },
  { title: 'R20: payment from frozen funds or deposits is refused', payment: { frozenFunds: true }, expect: no('frozen_funds') },
  // R15 scope
  {
    title: 'R15 R21: a 100 USD product coupon on a mixed order deducts only from the in-scope items',
    coupon: { productCodes: ['cvm'] },
    payment: { items: [{ productCode: 'cvm', amount: 6000n }, { productCode: 'cos', amount: 9000n }] },
    expect: ok(6000n, 6000n),
  },
  { title: 'R15: a product coupon is refused on an order without its products', coupon: { productCodes: ['mysql'] }, expect: no('no_item_in_scope') },
  { title: 'R15: a general coupon does not cover a product excluded from general coupons', payment: { items: [{ productCode: 'domain', amount: 3000n }] }, expect: no('no_item_in_scope') },
  { title: 'R15: a general coupon does not cover a marketplace product', payment: { items: [{ productCode: 'mkt-waf', amount: 2000n }] }, expect: no('no_item_in_scope') },
  { title: 'R15: a general coupon does not cover a product unknown to the catalog', payment: { items: [{ productCode: 'ghost', amount: 2000n }] }, expect: no('no_item_in_scope') },
  {
    title: 'R15: a general coupon on a mixed order counts only the eligible items',
    payment: { items: [{ productCode: 'cvm', amount: 6000n }, { productCode: 'domain', amount: 3000n }, { productCode: 'mkt-waf', amount: 2000n }, { productCode: 'cos', amount: 1500n }] },
    expect: ok(7500n, 7500n),
  },
  { title: 'R15: a product coupon applies to a marketplace product it lists', coupon: { productCodes: ['mkt-waf'] }, payment: { items: [{ productCode: 'mkt-waf', amount: 2000n }] }, expect: ok(2000n, 2000n) },
  { title: 'R15: a product coupon applies to an excluded-from-general product it lists', coupon: { productCodes: ['domain'] }, payment: { items: [{ productCode: 'domain', amount: 3000n }] }, expect: ok(3000n, 3000n) },
  // R21
  { title: 'R21: the deduction is the balance when the balance is below the amount in scope', coupon: { balance: 2500n }, expect: ok(6000n, 2500n) },
  { title: 'R21: the deduction is the amount in scope when the balance covers it exactly', coupon: { balance: 6000n }, expect: ok(6000n, 6000n) },
  { title: 'R21: amounts past 2^53 stay exact', coupon: { balance: 9007199254740993n }, payment: { items: [{ productCode: 'cvm', amount: 9007199254740995n }] }, expect: ok(9007199254740995n, 9007199254740993n) },
  // R18
  {
    title: 'R18: a 50 USD coupon with a 100 USD minimum spend for CVM and MySQL applies to a 100.01 payment and not to a 100.00 one',
    coupon: { balance: 5000n, minSpend: 10000n, productCodes: ['cvm', 'mysql'] },
    payment: { items: [{ productCode: 'cvm', amount: 6000n }, { productCode: 'mysql', amount: 4001n }] },
    expect: ok(10001n, 5000n),
    also: [{ payment: { items: [{ productCode: 'cvm', amount: 6000n }, { productCode: 'mysql', amount: 4000n }] }, expect: no('min_spend_not_met') }],
  },
  {
    title: 'R18: the threshold is on the payment total, out-of-scope items included',
    coupon: { minSpend: 10000n, productCodes: ['cvm'] },
    payment: { items: [{ productCode: 'cvm', amount: 5000n }, { productCode: 'cos', amount: 5001n }] },
    expect: ok(5000n, 5000n),
  },
  {
    title: 'R18: a total over the threshold still needs an item in scope',
    coupon: { minSpend: 100n, productCodes: ['mysql'] },
    payment: { items: [{ productCode: 'cos', amount: 50000n }] },
    expect: no('no_item_in_scope'),
  },
  // R19
  {
    title: 'R19: a 0-3 month duration limit refuses a 4-month subscription',
    coupon: { maxDurationMonths: 3 },
    payment: { items: [{ productCode: 'cvm', amount: 24000n, durationMonths: 4 }] },
    expect: no('duration_too_long'),
    also: [{ payment: { items: [{ productCode: 'cvm', amount: 18000n, durationMonths: 3 }] }, expect: ok(18000n, 10000n) }],
  },
  {
    title: 'R19: only in-scope items count against the duration limit',
    coupon: { maxDurationMonths: 3, productCodes: ['cvm'] },
    payment: { items: [{ productCode: 'cvm', amount: 6000n, durationMonths: 1 }, { productCode: 'cos', amount: 9000n, durationMonths: 12 }] },
    expect: ok(6000n, 6000n),
  },
  { title: 'R19: the duration limit is for prepaid subscriptions, not pay-as-you-go bills', coupon: { maxDurationMonths: 1 }, payment: { ...payg, items: [{ productCode: 'cvm', amount: 6000n, durationMonths: 12 }] }, expect: ok(6000n, 6000n) },
  // Order of checks: a payment failing two rules reports the earlier one.
  { title: 'R13 R14 check order: another account\'s expired coupon is wrong_account', coupon: { status: 'expired' }, payment: { accountId: 'acc-2' }, expect: no('wrong_account') },
  { title: 'R14 check order: status before window: a used coupon out of its window is not_usable', coupon: { status: 'used' }, payment: { at: UNTIL }, expect: no('not_usable') },
  { title: 'R14 check order: window before balance: an exhausted coupon not yet valid is not_yet_valid', coupon: { balance: 0n }, payment: { at: at('2024-06-01T00:00:00.000Z') }, expect: no('not_yet_valid') },
  { title: 'R14 check order: an exhausted coupon on a EUR payment is exhausted (balance before currency)', coupon: { balance: 0n }, payment: { currency: 'EUR' }, expect: no('exhausted') },
  { title: 'R16 check order: currency before billing mode', coupon: { billingModes: ['payg'] }, payment: { currency: 'EUR' }, expect: no('currency_mismatch') },
  { title: 'R16 R17 check order: a payg-only coupon on a prepaid order without scenario is billing_mode', coupon: { billingModes: ['payg'] }, payment: { scenario: undefined }, expect: no('billing_mode') },
  { title: 'R17 R20 check order: a renewal-only coupon on a promotional purchase is scenario', coupon: { scenarios: ['renewal'] }, payment: { promotional: true }, expect: no('scenario') },
  { title: 'R20 check order: promotional before paid-on-behalf before frozen funds', payment: { promotional: true, paidOnBehalf: true, frozenFunds: true }, expect: no('promotional_order') },
  { title: 'R20 check order: account overdue before frozen funds', payment: { accountHasOverdue: true, frozenFunds: true }, expect: no('account_overdue') },
  { title: 'R20 R15 check order: frozen funds on an order without items in scope is frozen_funds', coupon: { productCodes: ['mysql'] }, payment: { frozenFunds: true }, expect: no('frozen_funds') },
  { title: 'R18 R19 check order: an unmet minimum and a too-long duration is min_spend_not_met', coupon: { minSpend: 100000n, maxDurationMonths: 1 }, payment: { items: [{ productCode: 'cvm', amount: 6000n, durationMonths: 12 }] }, expect: no('min_spend_not_met') },
];

describe('R15-R21 eligibility (pure)', () => {
  for (const row of rows) {
    it(row.title, () => {
      const c = coupon(row.coupon);
      expect(isApplicable(c, payment(row.payment), catalog)).to.deep.equal(row.expect);
      for (const other of row.also ?? []) {
        expect(isApplicable(c, payment({ ...row.payment, ...other.payment }), catalog)).to.deep.equal(other.expect);
      }
    });
  }

  it('R13-R20: the table exercises every refusal code at least once', () => {
    // A Record forces this list to name every RefusalCode: a new code without a test fails to compile.
    const every: Record<RefusalCode, true> = {
      wrong_account: true, not_usable: true, not_yet_valid: true, expired: true, exhausted: true,
      currency_mismatch: true, billing_mode: true, scenario: true, promotional_order: true,
      paid_on_behalf: true, overdue_bill: true, account_overdue: true, frozen_funds: true,
      no_item_in_scope: true, min_spend_not_met: true, duration_too_long: true,
    };
    const seen = new Set(rows.flatMap((r) => [r.expect, ...(r.also ?? []).map((a) => a.expect)]).flatMap((e) => (e.ok ? [] : [e.code])));
    expect(Object.keys(every).filter((code) => !seen.has(code as RefusalCode))).to.deep.equal([]);
  });

  it('R15: inScope: product coupons by list, general coupons by catalog flags', () => {
    const cases: readonly [readonly string[], string, boolean][] = [
      [['cvm'], 'cvm', true],
      [['cvm'], 'cos', false],
      [['mkt-waf'], 'mkt-waf', true],
      [['ghost'], 'ghost', true], // a listed product needs no catalog entry
      [[], 'cvm', true],
      [[], 'domain', false],
      [[], 'mkt-waf', false],
      [[], 'ghost', false],
    ];
    for (const [productCodes, productCode, want] of cases) {
      expect(inScope({ productCodes }, { productCode }, catalog), `${productCodes.join(',') || 'general'} / ${productCode}`).to.equal(want);
    }
  });

  it('R18: paymentTotal sums every item exactly, in bigint', () => {
    expect(paymentTotal({ items: [] })).to.equal(0n);
    expect(paymentTotal({ items: [{ productCode: 'cvm', amount: 9007199254740993n }, { productCode: 'cos', amount: 2n }] })).to.equal(9007199254740995n);
  });
});
