import { expect } from 'chai';
import {
  addMonthsUtc,
  decideRefund,
  divRoundHalfUp,
  HANDLING_FEES,
  termClassOf,
  type RefundDecision,
  type RefundFacts,
  type RefundRefusal,
} from '../../src/refunds/refund-rules';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PAID = new Date('2025-01-01T00:00:00.000Z');
const after = (ms: number) => new Date(PAID.getTime() + ms);

// A 1,200.00 order paid with a 200.00 coupon deduction and 1,000.00 in cash, for `months` of CVM.
const facts = (o: Partial<RefundFacts> & { months?: number | null } = {}): RefundFacts => {
  const { months = 12, ...rest } = o;
  return {
    mode: 'prepaid',
    orderStatus: 'paid',
    paidAt: PAID,
    now: after(2 * HOUR),
    cashPaid: 100000n,
    couponDeduction: 20000n,
    items: [{ productCode: 'cvm', durationMonths: months, refundable: true }],
    resourceState: 'active',
    fiveDayRefundsThisYear: 0,
    policy: 'none',
    ...rest,
  };
};

function granted(d: RefundDecision) {
  if (!d.ok) throw new Error(`refused: ${d.code}: ${d.why.join('; ')}`);
  return d;
}
const refusedWith = (d: RefundDecision): RefundRefusal | null => (d.ok ? null : d.code);

describe('refund rules (pure)', () => {
  describe('R28 handling-fee table, cell by cell (cash 1000.00 paid beside a 200.00 coupon deduction)', () => {
    // Paid 2025-01-01: 12 months = 365 days, 24 = 730, 36 = 1095; 1 month (January) = 31 days, 6 months = 181.
    const cells: { product: string; months: number; usedMs: number; rateBp: number; fee: bigint; due: bigint; refund: bigint }[] = [
      { product: '3-year, used up to 1 year', months: 36, usedMs: 219 * DAY, rateBp: 1500, fee: 15000n, due: 20000n, refund: 65000n },
      { product: '3-year, used up to 2 years', months: 36, usedMs: 438 * DAY, rateBp: 1000, fee: 10000n, due: 40000n, refund: 50000n },
      { product: '3-year, used up to 3 years', months: 36, usedMs: 876 * DAY, rateBp: 500, fee: 5000n, due: 80000n, refund: 15000n },
      { product: '2-year, used up to 1 year', months: 24, usedMs: 146 * DAY, rateBp: 1500, fee: 15000n, due: 20000n, refund: 65000n },
      { product: '2-year, used up to 2 years', months: 24, usedMs: 584 * DAY, rateBp: 1000, fee: 10000n, due: 80000n, refund: 10000n },
      { product: '1-year, early', months: 12, usedMs: 73 * DAY, rateBp: 1000, fee: 10000n, due: 20000n, refund: 70000n },
      { product: '1-year, late', months: 12, usedMs: 292 * DAY, rateBp: 1000, fee: 10000n, due: 80000n, refund: 10000n },
      { product: 'monthly (1 month)', months: 1, usedMs: (31 * DAY) / 5, rateBp: 1000, fee: 10000n, due: 20000n, refund: 70000n },
      { product: 'monthly (6 months)', months: 6, usedMs: (181 * DAY) / 5, rateBp: 1000, fee: 10000n, due: 20000n, refund: 70000n },
    ];
    for (const c of cells) {
      it(`R28: ${c.product}: fee ${c.rateBp / 100}% of the cash paid (not the total), amount due prorated, refund = cash - fee - due`, () => {
        const d = granted(decideRefund(facts({ months: c.months, now: after(c.usedMs) })));
        expect(d.rule).to.equal('partial');
        expect(d.terms).to.deep.include({ cashPaid: 100000n, feeRateBp: c.rateBp, handlingFee: c.fee, amountDue: c.due, refund: c.refund, couponReturn: 0n });
        expect(d.terms.usedMs).to.equal(BigInt(c.usedMs));
        expect(d.why.join(' ')).to.include(`handling fee ${c.fee}`).and.include(`amount due ${c.due}`);
      });
    }

    it('R28: the table is data: exactly the rulebook\'s bands, and nothing else decides a rate', () => {
      expect(HANDLING_FEES).to.deep.equal({
        three_year: [{ usedUpToMonths: 12, rateBp: 1500 }, { usedUpToMonths: 24, rateBp: 1000 }, { usedUpToMonths: null, rateBp: 500 }],
        two_year: [{ usedUpToMonths: 12, rateBp: 1500 }, { usedUpToMonths: null, rateBp: 1000 }],
        one_year: [{ usedUpToMonths: null, rateBp: 1000 }],
        monthly: [{ usedUpToMonths: null, rateBp: 1000 }],
      });
    });

    it('R28: band edges include their end: exactly 1 year used is still 15%, 1 ms more is 10%; exactly 2 years is 10%, 1 ms more is 5%', () => {
      const rate = (months: number, usedMs: number) => granted(decideRefund(facts({ months, now: after(usedMs) }))).terms.feeRateBp;
      expect(rate(36, 365 * DAY)).to.equal(1500);
      expect(rate(36, 365 * DAY + 1)).to.equal(1000);
      expect(rate(36, 730 * DAY)).to.equal(1000);
      expect(rate(36, 730 * DAY + 1)).to.equal(500);
      expect(rate(24, 365 * DAY)).to.equal(1500);
      expect(rate(24, 365 * DAY + 1)).to.equal(1000);
    });

    it('R28: cash paid never includes the coupon deduction: the fee and the amount due are shares of the cash alone', () => {
      const d = granted(decideRefund(facts({ months: 12, now: after(73 * DAY), cashPaid: 40000n, couponDeduction: 60000n })));
      expect(d.terms).to.deep.include({ cashPaid: 40000n, handlingFee: 4000n, amountDue: 8000n, refund: 28000n });
    });

    it('R28: the refund is never below 0 when fee and amount due exceed the cash paid', () => {
      const d = granted(decideRefund(facts({ months: 12, now: after(350 * DAY) })));
      expect(d.terms.amountDue).to.equal(95890n); // 100000 x 350 / 365 = 95890.41 -> 95890
      expect(d.terms.refund).to.equal(0n);
    });

    it('R28: the fee and the amount due are rounded half up to the minor unit', () => {
      expect(divRoundHalfUp(5n, 10n)).to.equal(1n);
      expect(divRoundHalfUp(4n, 10n)).to.equal(0n);
      expect(divRoundHalfUp(15n, 10n)).to.equal(2n);
      // 1-year, cash 0.05: fee 10% = 0.5 -> 1; half the year used of 0.05 = 2.5 ... -> 3 (paid 2025-01-01, 182.5 days)
      const d = granted(decideRefund(facts({ months: 12, cashPaid: 5n, couponDeduction: 0n, now: after(182.5 * DAY) })));
      expect(d.terms).to.deep.include({ handlingFee: 1n, amountDue: 3n, refund: 1n });
    });

    it('R28: the used period ends at the subscribed period\'s end: a term that is over is refused (term_ended)', () => {
      expect(refusedWith(decideRefund(facts({ months: 12, now: after(365 * DAY) })))).to.equal('term_ended');
      expect(decideRefund(facts({ months: 12, now: after(365 * DAY - 1) })).ok).to.equal(true);
    });
  });

  describe('R27 five-day full refund', () => {
    it('R27: at exactly 120 hours after payment all the cash is refunded and the whole deduction returns to the coupon', () => {
      const d = granted(decideRefund(facts({ months: 36, now: after(120 * HOUR) })));
      expect(d.rule).to.equal('five_day_full');
      expect(d.terms).to.deep.include({ refund: 100000n, couponReturn: 20000n, handlingFee: 0n, amountDue: 0n, feeRateBp: 0 });
      expect(d.why[0]).to.include('120h 0m 0s').and.include('within the 120-hour window');
    });

    it('R27: at 120 hours plus one second it is a partial refund', () => {
      const d = granted(decideRefund(facts({ months: 36, now: after(120 * HOUR + 1000) })));
      expect(d.rule).to.equal('partial');
      expect(d.terms.feeRateBp).to.equal(1500);
      expect(d.why[0]).to.include('after the 120-hour window');
    });

    it('R27: the five-day refund returns the coupon deduction whatever the policy, and needs no subscribed period', () => {
      const d = granted(decideRefund(facts({ months: null, policy: 'none', now: after(HOUR) })));
      expect(d.rule).to.equal('five_day_full');
      expect(d.terms.couponReturn).to.equal(20000n);
      expect(d.terms.subscription).to.equal(null);
    });
  });

  describe('R30 refund count', () => {
    it('R30: with 9 five-day refunds this year the 10th is full; with 10 the 11th becomes partial, saying why', () => {
      expect(granted(decideRefund(facts({ fiveDayRefundsThisYear: 9 }))).rule).to.equal('five_day_full');
      const d = granted(decideRefund(facts({ fiveDayRefundsThisYear: 10 })));
      expect(d.rule).to.equal('partial');
      expect(d.why[0]).to.include('10 of 10 five-day refunds used in 2025').and.include('R30');
    });
  });

  describe('R28 refund policy', () => {
    it('R28: `proportional` returns the unused share of the coupon deduction (same ratio as the amount due); `none` returns nothing', () => {
      const p = granted(decideRefund(facts({ months: 12, now: after(73 * DAY), policy: 'proportional' })));
      expect(p.terms).to.deep.include({ amountDue: 20000n, couponReturn: 16000n, refund: 70000n });
      expect(granted(decideRefund(facts({ months: 12, now: after(73 * DAY), policy: 'none' }))).terms.couponReturn).to.equal(0n);
    });
  });

  describe('R29 not refundable', () => {
    const cases: [string, Partial<RefundFacts> & { months?: number | null }, RefundRefusal][] = [
      ['pay-as-you-go usage', { mode: 'payg' }, 'payg_not_refundable'],
      ['a product marked non-refundable', { items: [{ productCode: 'cvm', durationMonths: 12, refundable: true }, { productCode: 'dom', durationMonths: 12, refundable: false }] }, 'product_not_refundable'],
      ['a resource in its grace period', { resourceState: 'grace_period' }, 'resource_in_grace_period'],
      ['a resource in its retention period', { resourceState: 'retention_period' }, 'resource_in_retention_period'],
      ['an order already refunded', { orderStatus: 'refunded' }, 'already_refunded'],
    ];
    for (const [name, f, code] of cases) {
      it(`R29: ${name} is refused (${code}), even inside the five-day window`, () => {
        const d = decideRefund(facts({ ...f, now: after(HOUR) }));
        expect(refusedWith(d)).to.equal(code);
      });
    }

    it('R28: after the window, an order without a subscribed duration or with mixed durations has no period to prorate', () => {
      expect(refusedWith(decideRefund(facts({ months: null, now: after(10 * DAY) })))).to.equal('not_a_subscription');
      const mixed = facts({ now: after(10 * DAY), items: [{ productCode: 'cvm', durationMonths: 12, refundable: true }, { productCode: 'mysql', durationMonths: 24, refundable: true }] });
      expect(refusedWith(decideRefund(mixed))).to.equal('mixed_terms');
    });
  });

  describe('R34 calendar and term classes', () => {
    it('R34: months are UTC calendar months, the day clamped to the month\'s end', () => {
      expect(addMonthsUtc(new Date('2025-01-31T10:00:00.000Z'), 1).toISOString()).to.equal('2025-02-28T10:00:00.000Z');
      expect(addMonthsUtc(new Date('2024-01-31T10:00:00.000Z'), 1).toISOString()).to.equal('2024-02-29T10:00:00.000Z');
      expect(addMonthsUtc(new Date('2024-02-29T00:00:00.000Z'), 12).toISOString()).to.equal('2025-02-28T00:00:00.000Z');
      expect(addMonthsUtc(new Date('2025-11-15T23:59:59.999Z'), 3).toISOString()).to.equal('2026-02-15T23:59:59.999Z');
    });

    it('R28: term class by duration: >= 36 months 3-year, >= 24 2-year, >= 12 1-year, shorter monthly', () => {
      expect([48, 36, 35, 24, 23, 12, 11, 1].map(termClassOf)).to.deep.equal(['three_year', 'three_year', 'two_year', 'two_year', 'one_year', 'one_year', 'monthly', 'monthly']);
    });
  });
});
