import { expect } from 'chai';
import { dueMonths, monthRange } from '../../src/settlement/settlement-month';

describe('R37 settlement months (pure)', () => {
  const HOUR = 3600;
  const cases: [string, string, number, string[], string[]][] = [
    ['an hour after the month ended, with an hour of grace', '2025-03-01T01:00:00Z', HOUR, [], ['2024-12', '2025-01', '2025-02']],
    ['just before the grace period is over', '2025-03-01T00:59:59Z', HOUR, [], ['2024-11', '2024-12', '2025-01']],
    ['closed months are not due again', '2025-03-15T00:00:00Z', HOUR, ['2025-01', '2025-02'], ['2024-12']],
    ['without grace, the moment the month ends', '2025-01-01T00:00:00Z', 0, ['2024-10', '2024-11'], ['2024-12']],
  ];
  for (const [name, now, grace, closed, due] of cases) {
    it(`R37: due months: ${name}`, () => {
      expect(dueMonths(new Date(now), grace, new Set(closed))).to.deep.equal(due);
    });
  }

  it('R37: a range of months is ordered, inclusive, and bounded', () => {
    expect(monthRange('2024-11', '2025-02', 24)).to.deep.equal(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(() => monthRange('2025-02', '2025-01', 24)).to.throw('invalid range');
    expect(() => monthRange('2020-01', '2025-01', 24)).to.throw('invalid range');
  });
});
