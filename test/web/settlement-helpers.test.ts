import { expect } from 'chai';
import { addMonths, formatMonth, hasEnded, isMonth, monthEnd, monthsUpTo } from '../../web/src/months';
import { sumMinor } from '../../web/src/money';
import { isPast } from '../../web/src/time';

/** The settlement pages' pure parts: UTC months, exact sums of resellers' totals and of expense, close refusals in words. */
describe('web settlement helpers (R37): UTC months, exact sums', () => {
  it('R37: months are UTC calendar months, named the way people say them', () => {
    expect(formatMonth('2026-11')).to.equal('November 2026');
    expect(formatMonth('1970-01')).to.equal('January 1970');
    expect(['2026-11', '1970-01', '2026-13', '2026-1', '1969-12', 'x', ''].map(isMonth)).to.deep.equal([true, true, false, false, false, false, false]);
    expect([addMonths('2026-01', -1), addMonths('2026-12', 1), addMonths('2026-05', -11)]).to.deep.equal(['2025-12', '2027-01', '2025-06']);
    expect(monthsUpTo('2026-02', 3)).to.deep.equal(['2026-02', '2026-01', '2025-12']);
    expect(monthEnd('2026-12').toISOString()).to.equal('2027-01-01T00:00:00.000Z');
    expect(hasEnded('2026-11', new Date('2026-11-30T23:59:59.999Z'))).to.equal(false);
    expect(hasEnded('2026-11', new Date('2026-12-01T00:00:00.000Z'))).to.equal(true);
    expect([isPast('2026-12-01T01:00:00.000Z', Date.parse('2026-12-01T01:00:00.000Z')), isPast('2026-12-01T01:00:00.001Z', Date.parse('2026-12-01T01:00:00.000Z'))]).to.deep.equal([true, false]);
  });

  it('sums minor units exactly, past 2^53', () => {
    expect(sumMinor(['9007199254740993', '1', '-4'])).to.equal('9007199254740990');
    expect(sumMinor([])).to.equal('0');
  });
});
