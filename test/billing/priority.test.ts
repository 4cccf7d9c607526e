import { expect } from 'chai';
import { allocate, checkoutOrder, paygOrder } from '../../src/billing/priority';

const day = (d: number): Date => new Date(Date.UTC(2025, 0, d));

interface C {
  id: string;
  balance: bigint;
  validUntil: Date;
  issuedAt: Date;
  productCodes: readonly string[];
}
const c = (id: string, o: Partial<C> = {}): C => ({ id, balance: 1000n, validUntil: day(20), issuedAt: day(1), productCodes: [], ...o });
const ids = (list: readonly { id: string }[]): string[] => list.map((x) => x.id);

/** Every ordering of the input: a total order gives the same answer for each. */
function permutations<T>(list: readonly T[]): T[][] {
  if (list.length <= 1) return [[...list]];
  return list.flatMap((x, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [x, ...rest]));
}

interface OrderRow {
  title: string;
  coupons: readonly C[];
  want: readonly string[];
}

const checkoutRows: readonly OrderRow[] = [
  { title: 'R22: the largest balance comes first', coupons: [c('a', { balance: 500n }), c('b', { balance: 3000n }), c('c', { balance: 1000n })], want: ['b', 'c', 'a'] },
  {
    title: 'R22: balance outranks expiry and issuance',
    coupons: [c('a', { balance: 500n, validUntil: day(2), issuedAt: day(1) }), c('b', { balance: 501n, validUntil: day(30), issuedAt: day(9) })],
    want: ['b', 'a'],
  },
  { title: 'R22: equal balances: the earliest expiry decides', coupons: [c('a', { validUntil: day(25) }), c('b', { validUntil: day(10) }), c('c', { validUntil: day(15) })], want: ['b', 'c', 'a'] },
  {
    title: 'R22: equal balance and expiry: the earliest issuance decides',
    coupons: [c('a', { issuedAt: day(3) }), c('b', { issuedAt: day(2) }), c('c', { issuedAt: day(1) })],
    want: ['c', 'b', 'a'],
  },
  { title: 'R22: balance, expiry and issuance all equal: the id decides, so the order is total', coupons: [c('b'), c('c'), c('a')], want: ['a', 'b', 'c'] },
  {
    title: 'R22: balances past 2^53 are compared exactly (as numbers they would tie)',
    coupons: [c('a', { balance: 9007199254740992n, validUntil: day(2) }), c('b', { balance: 9007199254740993n, validUntil: day(30) })],
    want: ['b', 'a'],
  },
  {
    title: 'R22: all keys at once',
    coupons: [
      c('e', { balance: 100n }),
      c('d', { balance: 2000n, validUntil: day(15), issuedAt: day(2) }),
      c('c', { balance: 2000n, validUntil: day(15), issuedAt: day(2) }),
      c('b', { balance: 2000n, validUntil: day(15), issuedAt: day(1) }),
      c('a', { balance: 2000n, validUntil: day(16), issuedAt: day(1) }),
    ],
    want: ['b', 'c', 'd', 'a', 'e'],
  },
];

const paygRows: readonly OrderRow[] = [
  {
    title: 'R23: product-limited coupons come before general ones, whatever their expiry',
    coupons: [c('general', { validUntil: day(2) }), c('product', { productCodes: ['cvm'], validUntil: day(30) })],
    want: ['product', 'general'],
  },
  {
    title: 'R23: within each group the earliest expiry comes first',
    coupons: [
      c('g-late', { validUntil: day(28) }),
      c('p-late', { productCodes: ['cvm'], validUntil: day(27) }),
      c('g-early', { validUntil: day(3) }),
      c('p-early', { productCodes: ['cos', 'cvm'], validUntil: day(5) }),
    ],
    want: ['p-early', 'p-late', 'g-early', 'g-late'],
  },
  {
    title: 'R23: balance plays no part in pay-as-you-go order',
    coupons: [c('big', { balance: 900000n, validUntil: day(20) }), c('small', { balance: 1n, validUntil: day(10) })],
    want: ['small', 'big'],
  },
  {
    title: 'R23: equal expiry: the earliest issuance decides',
    coupons: [c('p2', { productCodes: ['cvm'], issuedAt: day(2) }), c('p1', { productCodes: ['cvm'], issuedAt: day(1) }), c('g2', { issuedAt: day(2) }), c('g1', { issuedAt: day(1) })],
    want: ['p1', 'p2', 'g1', 'g2'],
  },
  { title: 'R23: equal expiry and issuance: the id decides, so the order is total', coupons: [c('g-b'), c('p-b', { productCodes: ['x'] }), c('g-a'), c('p-a', { productCodes: ['y'] })], want: ['p-a', 'p-b', 'g-a', 'g-b'] },
];

function orderSuite(rule: string, sort: (list: readonly C[]) => C[], rows: readonly OrderRow[]): void {
  for (const row of rows) {
    it(row.title, () => {
      for (const input of permutations(row.coupons)) {
        expect(ids(sort(input)), `input ${ids(input).join(',')}`).to.deep.equal(row.want);
      }
    });
  }
  it(`${rule}: returns a new array of the same objects and never mutates its input`, () => {
    const input = Object.freeze([c('b', { balance: 1n, validUntil: day(9) }), c('a', { balance: 2n, productCodes: ['cvm'], validUntil: day(3) })]);
    const snapshot = input.map((x) => ({ ...x }));
    const out = sort(input);
    expect(out).to.not.equal(input);
    expect(input).to.deep.equal(snapshot);
    expect(out.every((x) => input.includes(x))).to.equal(true);
    expect(sort([])).to.deep.equal([]);
  });
}

describe('R22 checkout order (pure)', () => orderSuite('R22', checkoutOrder, checkoutRows));
describe('R23 pay-as-you-go order (pure)', () => orderSuite('R23', paygOrder, paygRows));

describe('R23 allocate: several coupons cover one bill (pure)', () => {
  const rows: readonly { title: string; bill: bigint; coupons: readonly [string, bigint][]; want: readonly [string, bigint][] }[] = [
    { title: 'R23: several coupons cover one bill in the given order; the last takes only what remains', bill: 10000n, coupons: [['a', 3000n], ['b', 5000n], ['c', 4000n]], want: [['a', 3000n], ['b', 5000n], ['c', 2000n]] },
    { title: 'R23: an exact cover leaves the next coupons out', bill: 8000n, coupons: [['a', 3000n], ['b', 5000n], ['c', 4000n]], want: [['a', 3000n], ['b', 5000n]] },
    { title: 'R23: a partial cover uses every coupon fully; the rest is cash', bill: 20000n, coupons: [['a', 3000n], ['b', 5000n]], want: [['a', 3000n], ['b', 5000n]] },
    { title: 'R23: one coupon larger than the bill takes only the bill', bill: 700n, coupons: [['a', 5000n], ['b', 5000n]], want: [['a', 700n]] },
    { title: 'R23: a zero bill deducts nothing', bill: 0n, coupons: [['a', 3000n]], want: [] },
    { title: 'R23: a coupon with nothing available is skipped', bill: 4000n, coupons: [['a', 0n], ['b', 5000n]], want: [['b', 4000n]] },
    { title: 'R23: the given order is kept, not re-sorted', bill: 6000n, coupons: [['b', 5000n], ['a', 3000n]], want: [['b', 5000n], ['a', 1000n]] },
    { title: 'R23: no coupons, no deduction', bill: 6000n, coupons: [], want: [] },
    { title: 'R23: amounts past 2^53 stay exact', bill: 9007199254740995n, coupons: [['a', 9007199254740993n], ['b', 5n]], want: [['a', 9007199254740993n], ['b', 2n]] },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const out = allocate(row.bill, row.coupons.map(([id, available]) => ({ id, available })));
      expect(out).to.deep.equal(row.want.map(([id, amount]) => ({ id, amount })));
      // R26: never more than the bill, never more than what is available.
      const total = out.reduce((s, x) => s + x.amount, 0n);
      const available = row.coupons.reduce((s, [, a]) => s + a, 0n);
      expect(total).to.equal(row.bill < available ? row.bill : available);
    });
  }

  it('R23: paygOrder then allocate: the product coupon is spent before the general one', () => {
    const ordered = paygOrder([c('general', { balance: 4000n, validUntil: day(2) }), c('product', { balance: 2500n, productCodes: ['cvm'] })]);
    expect(allocate(5000n, ordered.map((x) => ({ id: x.id, available: x.balance })))).to.deep.equal([
      { id: 'product', amount: 2500n },
      { id: 'general', amount: 2500n },
    ]);
  });
});
