import { expect } from 'chai';
import {
  budgetInForce, budgetRefusalText, passes, periodText, quarterName, readAmount, utcDayStart,
} from '../../web/src/budgets/budget-text';
import type { Budget } from '../../web/src/api-types';

/** The web app's budgets in words (R36): periods in UTC, the budget in force, refusals with their figures. */
describe('web budget text: periods, the budget a request draws on, refusals in words (R36)', () => {
  it('R36: names a calendar quarter and states its dates in UTC, last day included', () => {
    expect(quarterName('2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z')).to.equal('Q2 2026');
    expect(quarterName('2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).to.equal('Q4 2026');
    expect(quarterName('2026-04-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z')).to.equal(null);
    expect(quarterName('2026-05-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z')).to.equal(null);
    expect(periodText('2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z')).to.equal('Q2 2026 (1 Apr 2026 – 30 Jun 2026, UTC)');
    expect(periodText('2026-04-01T00:00:00.000Z', '2026-05-16T00:00:00.000Z')).to.equal('1 Apr 2026 – 15 May 2026 (UTC)');
    expect(periodText('2026-04-01T10:30:00.000Z', '2026-04-02T00:00:00.000Z')).to.equal('1 Apr 2026, 10:30 until 2 Apr 2026, 00:00 (UTC)');
  });

  it('R36: a picked day is its UTC midnight; the last day of a period ends at the next one', () => {
    expect(utcDayStart('2026-05-15')).to.equal('2026-05-15T00:00:00.000Z');
    expect(utcDayStart('2026-12-31', true)).to.equal('2027-01-01T00:00:00.000Z');
    expect(() => utcDayStart('15/05/2026')).to.throw(RangeError);
  });

  it('R5 R36: the budget in force is the one of that kind and currency whose period holds now; passing it is exact', () => {
    const b = (kind: Budget['kind'], currency: string, periodStart: string, periodEnd: string) =>
      ({ id: `${kind}-${currency}-${periodStart}`, kind, currency, periodStart, periodEnd, available: '100' }) as Budget;
    const budgets = [
      b('partner', 'USD', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z'),
      b('partner', 'USD', '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z'),
      b('vendor', 'USD', '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z'),
      b('partner', 'EUR', '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z'),
    ];
    const now = Date.parse('2026-06-30T23:59:59Z');
    expect(budgetInForce(budgets, 'partner', 'USD', now)?.id).to.equal('partner-USD-2026-04-01T00:00:00Z');
    expect(budgetInForce(budgets, 'partner', 'USD', Date.parse('2026-07-01T00:00:00Z'))?.id).to.equal('partner-USD-2026-07-01T00:00:00Z');
    expect(budgetInForce(budgets, 'vendor', 'EUR', now)).to.equal(undefined);
    expect([passes('10001', '10000'), passes('10000', '10000'), passes('999999999999999999', '999999999999999998')]).to.deep.equal([true, false, true]);
  });

  it('reads a typed amount into minor units, or says what is wrong', () => {
    expect(readAmount('60.01', 'USD')).to.deep.equal({ minor: '6001' });
    expect(readAmount('0', 'USD')).to.deep.equal({ problem: 'Enter an amount greater than zero' });
    expect(readAmount('0', 'USD', true)).to.deep.equal({ minor: '0' });
    expect(readAmount('1.5', 'JPY')).to.deep.equal({ problem: 'JPY amounts have no decimals' });
  });

  it('R5 R36: each budget refusal of the API becomes a sentence with its figures formatted as money; others give none', () => {
    const say = (code: string, facts: Record<string, unknown>, currency = 'USD') => budgetRefusalText({ code, facts }, currency);
    expect(say('budget_exceeded', { currency: 'USD', kind: 'partner', requested: '15000', available: '10000', budgetId: 'x' }))
      .to.equal('This request needs $150.00, but only $100.00 is left of the partner-borne budget it draws on.');
    expect(say('allocation_exceeded', { field: 'body.amount', available: '6000', needed: '6001' }))
      .to.equal('You have $60.00 of partner-borne budget left to allocate, and this needs $60.01 more.');
    expect(say('budget_below_used', { field: 'body.amount', used: '3000' }, 'JPY'))
      .to.equal('¥3,000 of it is already reserved by open requests, issued or handed on, so it cannot go below that.');
    expect(say('no_budget_to_allocate', { currency: 'EUR', at: '2026-05-01T00:00:00.000Z' }))
      .to.equal('You have no partner-borne budget in EUR for this period to allocate from. The platform admin grants it.');
    expect(say('budget_period_overlaps', { budgetId: 'x', periodStart: '2026-04-01T00:00:00.000Z', periodEnd: '2026-07-01T00:00:00.000Z' }))
      .to.equal('It already has a budget of this kind in this currency for Q2 2026 (1 Apr 2026 – 30 Jun 2026, UTC), which overlaps the period you chose.');
    // No field paths, rule ids or "minor units" reach the sentences.
    expect(say('allocation_exceeded', { field: 'body.amount', available: '6000', needed: '6001' })).to.not.match(/body\.|R36|minor/);
    expect(say('budget_exceeded', { requested: 'lots' })).to.equal(null);
    expect(say('template_cap_reached', { requested: '1' })).to.equal(null);
  });
});
