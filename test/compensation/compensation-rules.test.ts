import { expect } from 'chai';
import {
  CLAIM_WINDOW_MS,
  EXCLUDED_CAUSES,
  FAULT_CAUSES,
  MULTIPLE,
  compensationAmount,
  costBasisWindow,
  decideClaim,
  faultMinutes,
  roundHalfUp,
  withinClaimWindow,
  type CostBasis,
  type FaultFacts,
} from '../../src/compensation/compensation-rules';

const at = (iso: string): Date => new Date(iso);
const plus = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
const START = at('2025-03-10T05:00:00.000Z');
const END = at('2025-03-10T06:30:00.000Z'); // 90 minutes
const fault = (o: Partial<FaultFacts> = {}): FaultFacts => ({ kind: 'unavailability', cause: 'platform', start: START, end: END, ...o });
const basis = (billedTotal: bigint, billedDays = 1, currency = 'USD'): CostBasis => ({ currency, billedTotal, billedDays });

describe('R33 compensation arithmetic (pure)', () => {
  it('R33: the multiple is 100 for unavailability and 2 for a provisioning delay or a billing error', () => {
    expect(MULTIPLE).to.deep.equal({ unavailability: 100n, provisioning_delay: 2n, billing_error: 2n });
  });

  // daily cost = billedTotal / billedDays; amount = round_half_up(daily / 24 / 60 x minutes x multiple)
  const cases: { name: string; total: bigint; days: number; minutes: bigint; multiple: bigint; want: bigint }[] = [
    { name: 'one minute of a 14.40/day service, unavailable (x100)', total: 1440n, days: 1, minutes: 1n, multiple: 100n, want: 100n },
    { name: 'one minute of a 14.40/day service, provisioning delay (x2)', total: 1440n, days: 1, minutes: 1n, multiple: 2n, want: 2n },
    { name: 'a day averaged over two billed days (10000 + 4000), 90 minutes, x100', total: 14000n, days: 2, minutes: 90n, multiple: 100n, want: 43750n },
    { name: 'billing error (x2) over a whole day gives twice the daily cost', total: 7000n, days: 1, minutes: 1440n, multiple: 2n, want: 14000n },
    { name: 'exactly .5 rounds up (x100: 3 x 12 x 100 / 1440 = 2.5)', total: 3n, days: 1, minutes: 12n, multiple: 100n, want: 3n },
    { name: 'exactly .5 rounds up (x2: 1 x 360 x 2 / 1440 = 0.5)', total: 1n, days: 1, minutes: 360n, multiple: 2n, want: 1n },
    { name: 'just under .5 rounds down (1 x 359 x 2 / 1440 = 0.4986)', total: 1n, days: 1, minutes: 359n, multiple: 2n, want: 0n },
    { name: 'just over .5 rounds up (3 x 13 x 100 / 1440 = 2.708)', total: 3n, days: 1, minutes: 13n, multiple: 100n, want: 3n },
    { name: 'below .5 rounds down (3 x 11 x 100 / 1440 = 2.29)', total: 3n, days: 1, minutes: 11n, multiple: 100n, want: 2n },
    { name: 'the daily cost is not rounded on its own (1000 over 3 days = 333.33.../day, 1440 min x2)', total: 1000n, days: 3, minutes: 1440n, multiple: 2n, want: 667n },
    { name: 'large amounts stay exact (bigint)', total: 9_000_000_000_000_000n, days: 7, minutes: 43_200n, multiple: 100n, want: 3_857_142_857_142_857_143n },
  ];
  for (const c of cases) {
    it(`R33: ${c.name} -> ${c.want}`, () => {
      expect(compensationAmount(basis(c.total, c.days), c.minutes, c.multiple)).to.equal(c.want);
    });
  }

  it('R33: rounding is half up, never to even', () => {
    expect([5n, 14n, 15n, 25n, 35n, 0n].map((n) => roundHalfUp(n, 10n))).to.deep.equal([1n, 1n, 2n, 3n, 4n, 0n]);
    expect(() => roundHalfUp(-1n, 10n)).to.throw(RangeError);
  });

  it('R33: fault minutes count a started minute whole', () => {
    const s = at('2025-01-01T00:00:00.000Z');
    const table: [number, bigint][] = [[1, 1n], [60_000, 1n], [60_001, 2n], [90_000, 2n], [5_400_000, 90n], [86_400_000, 1440n]];
    for (const [ms, want] of table) expect(faultMinutes(s, plus(s, ms)), `${ms} ms`).to.equal(want);
    expect(() => faultMinutes(s, s)).to.throw(RangeError);
  });

  it('R33 R34: the cost basis is the 7 full UTC days before the day the fault started', () => {
    expect(costBasisWindow(START)).to.deep.equal({ from: at('2025-03-03T00:00:00.000Z'), to: at('2025-03-10T00:00:00.000Z') });
    expect(costBasisWindow(at('2025-03-10T00:00:00.000Z'))).to.deep.equal({ from: at('2025-03-03T00:00:00.000Z'), to: at('2025-03-10T00:00:00.000Z') });
    expect(costBasisWindow(at('2025-03-09T23:59:59.999Z')).to).to.deep.equal(at('2025-03-09T00:00:00.000Z'));
  });
});

describe('R33 claim decision (pure): window, exclusions, refusals', () => {
  it('R33 R34: the 7-day window counts 7 x 24 h from the end, inclusive: exactly at the boundary is in time, 1 ms later is not', () => {
    expect(CLAIM_WINDOW_MS).to.equal(604_800_000);
    const boundary = plus(END, 7 * 24 * 3_600_000);
    expect(withinClaimWindow(END, boundary)).to.equal(true);
    expect(withinClaimWindow(END, plus(boundary, -1))).to.equal(true);
    expect(withinClaimWindow(END, plus(boundary, 1))).to.equal(false);
    expect(decideClaim(fault(), basis(1440n), boundary)).to.deep.include({ granted: true, amount: 9000n, currency: 'USD' });
    const late = decideClaim(fault(), basis(1440n), plus(boundary, 1));
    expect(late).to.deep.include({ granted: false, code: 'claim_window_closed' });
    expect(decideClaim(fault(), basis(1440n), plus(boundary, 1000)).granted).to.equal(false);
    expect(decideClaim(fault(), basis(1440n), END).granted).to.equal(true);
  });

  it('R33: both multiples through the decision: 90 minutes of 14.40/day is 90.00 unavailable, 1.80 delayed or misbilled', () => {
    expect(decideClaim(fault({ kind: 'unavailability' }), basis(1440n), END)).to.deep.include({ granted: true, amount: 9000n });
    expect(decideClaim(fault({ kind: 'provisioning_delay' }), basis(1440n), END)).to.deep.include({ granted: true, amount: 180n });
    expect(decideClaim(fault({ kind: 'billing_error' }), basis(1440n), END)).to.deep.include({ granted: true, amount: 180n });
  });

  const excluded = FAULT_CAUSES.filter((c) => c !== 'platform');
  it('R33: the excluded causes are force majeure, notified maintenance, carrier, backbone and the customer\'s own doing', () => {
    expect(Object.keys(EXCLUDED_CAUSES).sort()).to.deep.equal([...excluded].sort());
  });
  for (const cause of excluded) {
    it(`R33: a fault caused by ${cause} is refused with the reason, whatever the cost and however early`, () => {
      const d = decideClaim(fault({ cause }), basis(1_000_000n), END);
      expect(d).to.deep.include({ granted: false, code: 'excluded_cause', reason: EXCLUDED_CAUSES[cause] });
      expect(d.granted ? '' : d.reason).to.match(/excluded from compensation/);
    });
  }

  it('R33: an excluded cause is the answer even when the window has closed too (fixed order)', () => {
    expect(decideClaim(fault({ cause: 'carrier' }), basis(1440n), plus(END, CLAIM_WINDOW_MS + 1))).to.deep.include({ code: 'excluded_cause' });
  });

  it('R33: no billed cost, or an amount that rounds to 0, is refused: a coupon is never 0', () => {
    expect(decideClaim(fault(), null, END)).to.deep.include({ granted: false, code: 'no_billed_cost' });
    expect(decideClaim(fault(), basis(0n), END)).to.deep.include({ granted: false, code: 'no_billed_cost' });
    const tiny = decideClaim(fault({ kind: 'billing_error', end: plus(START, 60_000) }), basis(1n), END);
    expect(tiny).to.deep.include({ granted: false, code: 'nothing_to_compensate' });
  });

  it('R33: the terms record what the amount came from', () => {
    const d = decideClaim(fault({ kind: 'provisioning_delay' }), basis(14000n, 2, 'EUR'), END);
    expect(d.terms).to.deep.equal({
      kind: 'provisioning_delay', cause: 'platform', multiple: 2n, faultMinutes: 90n,
      claimWindowEndsAt: at('2025-03-17T06:30:00.000Z'), claimedAt: END, basis: basis(14000n, 2, 'EUR'),
    });
    expect(d).to.deep.include({ amount: 875n, currency: 'EUR' }); // 7000 x 90 x 2 / 1440 = 875
  });
});
