import { expect } from 'chai';
import { addMonths, formatMonth, hasEnded, isMonth, monthEnd, monthsUpTo } from '../../web/src/months';
import { sumMinor } from '../../web/src/money';
import { isPast } from '../../web/src/time';
import { rangeFigures, resellersOf } from '../../web/src/portal/reseller-figures';
import { expenseByBd, expenseTotals } from '../../web/src/admin/expense-figures';
import { closeRefusal } from '../../web/src/admin/close-text';
import { ApiError } from '../../web/src/api';
import type { Account, ExpenseRow, ResellerTotals, ResellerTotalsRow } from '../../web/src/api-types';

const row = (r: Partial<ResellerTotalsRow>): ResellerTotalsRow => ({
  resellerId: 'r1', resellerName: 'Reseller One', month: '2026-10', templateId: 't1', templateName: 'Spring', costBearer: 'partner', currency: 'USD',
  issued: '0', deducted: '0', returned: '0', revoked: '0', expired: '0', reclaimed: '0', outstanding: '0', ...r,
});

/** The settlement pages' pure parts: UTC months, exact sums of resellers' totals and of expense, close refusals in words. */
describe('web settlement helpers (R37 R39): months, exact sums, refusals in words', () => {
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

  it('R39: each reseller from the distributor\'s reseller accounts and the totals, its flows summed over the months, outstanding at the last', () => {
    const accounts = [
      { kind: 'reseller', resellerPartnerId: 'r1', name: 'acct of one' },
      { kind: 'reseller', resellerPartnerId: 'r3', name: 'Quiet reseller' },
      { kind: 'customer', resellerPartnerId: null, name: 'a customer of the distributor' },
    ] as Account[];
    const totals: ResellerTotals = {
      partnerId: 'd', from: '2026-10', to: '2026-11',
      items: [
        row({ month: '2026-10', issued: '10000', deducted: '2500', outstanding: '7500' }),
        row({ month: '2026-11', deducted: '1000', returned: '300', outstanding: '6800' }),
        row({ month: '2026-11', templateId: 't2', templateName: 'Vendor gift', costBearer: 'vendor', issued: '4000', expired: '4000', outstanding: '0' }),
        row({ resellerId: 'r2', resellerName: 'Another', month: '2026-10', issued: '500', outstanding: '500' }),
      ],
      settlements: [{ resellerId: 'r1', month: '2026-11', status: 'open', currency: 'USD', owed: '700' }],
    };
    const resellers = resellersOf(accounts, totals);
    expect(resellers.map((r) => [r.id, r.name, r.accountName, r.rows.length, r.owed.length])).to.deep.equal([
      ['r2', 'Another', null, 1, 0],
      ['r3', 'Quiet reseller', 'Quiet reseller', 0, 0],
      ['r1', 'Reseller One', 'acct of one', 3, 1],
    ]);
    const one = resellers.find((r) => r.id === 'r1')!;
    expect(rangeFigures(one.rows, '2026-11')).to.deep.equal([
      { costBearer: 'partner', currency: 'USD', flows: { issued: '10000', deducted: '3500', returned: '300', revoked: '0', expired: '0', reclaimed: '0' }, outstanding: '6800' },
      { costBearer: 'vendor', currency: 'USD', flows: { issued: '4000', deducted: '0', returned: '0', revoked: '0', expired: '4000', reclaimed: '0' }, outstanding: '0' },
    ]);
    // Nothing left open at the range's end: that month has no row, and nothing is outstanding.
    expect(rangeFigures(resellers[0]!.rows, '2026-11')[0]!.outstanding).to.equal('0');
  });

  it('R37: the promotion expense per currency and per BD, exactly', () => {
    const e = (r: Partial<ExpenseRow>): ExpenseRow => ({
      bdUserId: 'b1', bdName: 'Bea', partnerId: 'p1', partnerName: 'P1', templateId: 't', templateName: 'T', currency: 'USD', deducted: '0', returned: '0', net: '0', ...r,
    });
    const rows = [
      e({ deducted: '3000', net: '3000' }),
      e({ templateId: null, templateName: 'voucher', deducted: '1200', returned: '200', net: '1000' }),
      e({ partnerId: 'p2', currency: 'EUR', deducted: '50', net: '50' }),
      e({ bdUserId: null, bdName: null, partnerId: 'p3', deducted: '7', net: '7' }),
    ];
    expect(expenseTotals(rows)).to.deep.equal([{ currency: 'EUR', net: '50' }, { currency: 'USD', net: '4007' }]);
    expect(expenseByBd(rows)).to.deep.equal([
      { bdUserId: 'b1', bdName: 'Bea', currency: 'USD', partners: 1, deducted: '4200', returned: '200', net: '4000' },
      { bdUserId: 'b1', bdName: 'Bea', currency: 'EUR', partners: 1, deducted: '50', returned: '0', net: '50' },
      { bdUserId: null, bdName: null, currency: 'USD', partners: 1, deducted: '7', returned: '0', net: '7' },
    ]);
  });

  it('R37: a refused close reads as a sentence, naming the month and from when it can close', () => {
    const notOver = new ApiError(409, 'month_not_over', '2026-11 can close from 2026-12-01T01:00:00.000Z', [], null, { month: '2026-11', closableAt: '2026-12-01T01:00:00.000Z' });
    expect(closeRefusal(notOver, '2026-11')).to.match(/^November 2026 cannot close yet: .*It can close from .+ 2026, \d\d:\d\d\.$/);
    const written = new ApiError(409, 'month_still_written', '1 transaction(s) begun before 2026-11 ended are still running', [], null, { month: '2026-11' });
    expect(closeRefusal(written, '2026-11')).to.equal('November 2026 cannot close yet: payments or refunds that began before it ended are still being written. Try again in a minute.');
    for (const other of [new ApiError(403, 'forbidden', 'no'), new Error('boom')]) expect(closeRefusal(other, '2026-11')).to.equal(null);
    expect(closeRefusal(notOver, '2026-11')).not.to.match(/month_not_over|R37|minor/);
  });
});
