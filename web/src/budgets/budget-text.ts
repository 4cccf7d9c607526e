// Budgets in words (R36): kinds, ledger moves, periods, and the API's budget refusals as sentences
// with their figures. Framework-free and DOM-free (tested by test/web/budget-text.test.ts).
import type { Budget, BudgetKind, BudgetLedgerEntry } from '../api-types';
import { formatMoney, MoneyInputError, parseMoneyInput } from '../money';

export const BUDGET_KIND: Record<BudgetKind, string> = { vendor: 'Vendor-borne', partner: 'Partner-borne' };

/** What each ledger move did, as a person says it. */
export const BUDGET_MOVE: Record<BudgetLedgerEntry['type'], string> = {
  grant: 'Granted',
  lower: 'Lowered',
  allocate: 'Allocated to a reseller',
  deallocate: 'Taken back from a reseller',
  reserve: 'Reserved',
  release: 'Released',
  commit: 'Issued',
  revoke: 'Returned by a void',
};

const DAY_MS = 86_400_000;
const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

const atMidnight = (d: Date) => d.getTime() % DAY_MS === 0;

/** "Q2 2026" when [start, end) is exactly a calendar quarter in UTC (a budget's default period), else null. */
export function quarterName(startIso: string, endIso: string): string | null {
  const s = new Date(startIso);
  if (!atMidnight(s) || s.getUTCDate() !== 1 || s.getUTCMonth() % 3 !== 0) return null;
  if (Date.parse(endIso) !== Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 3, 1)) return null;
  return `Q${s.getUTCMonth() / 3 + 1} ${s.getUTCFullYear()}`;
}

/**
 * A budget's period [start, end) in UTC, its last day included: "Q2 2026 (1 Apr 2026 – 30 Jun 2026,
 * UTC)", "1 Apr 2026 – 15 May 2026 (UTC)"; with times when a bound is not at midnight.
 */
export function periodText(startIso: string, endIso: string): string {
  const s = new Date(startIso);
  const e = new Date(endIso);
  const dates = atMidnight(s) && atMidnight(e)
    ? `${day.format(s)} – ${day.format(new Date(e.getTime() - DAY_MS))}`
    : `${dayTime.format(s)} until ${dayTime.format(e)}`;
  const q = quarterName(startIso, endIso);
  return q ? `${q} (${dates}, UTC)` : `${dates} (UTC)`;
}

/** The budget of that kind and currency whose period holds `now`: the one a request submitted now draws on. */
export function budgetInForce(budgets: readonly Budget[], kind: BudgetKind, currency: string, now = Date.now()): Budget | undefined {
  return budgets.find((b) => b.kind === kind && b.currency === currency && Date.parse(b.periodStart) <= now && now < Date.parse(b.periodEnd));
}

/** Whether `amount` (minor units) is more than `available`: exact, BigInt. */
export const passes = (amount: string, available: string) => BigInt(amount) > BigInt(available);

/** An amount a person typed: its minor units, or the problem in words (more than zero unless `zero`). */
export function readAmount(text: string, currency: string, zero = false): { minor?: string; problem?: string } {
  try {
    const minor = parseMoneyInput(text, currency);
    return zero || BigInt(minor) > 0n ? { minor } : { problem: 'Enter an amount greater than zero' };
  } catch (e) {
    if (e instanceof MoneyInputError) return { problem: e.message };
    throw e;
  }
}

/** "YYYY-MM-DD" (a date a person picked, in UTC) -> the instant its day starts; `dayAfter` the next day's. */
export function utcDayStart(date: string, dayAfter = false): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) throw new RangeError(`not a date: ${date}`);
  return new Date(t + (dayAfter ? DAY_MS : 0)).toISOString();
}

/** The part of an ApiError this module reads (kept structural: no fetch client here). */
export interface Refusal {
  code: string;
  facts: Readonly<Record<string, unknown>>;
}

const MINOR = /^-?\d+$/;

/**
 * The figures of a budget refusal in one sentence, or null when the refusal is not about a budget
 * (or lacks its figures). `currency` is the budget's: some refusals do not repeat it.
 */
export function budgetRefusalText(r: Refusal, currency: string): string | null {
  const money = (key: string): string | null => {
    const v = r.facts[key];
    return typeof v === 'string' && MINOR.test(v) ? formatMoney(v, typeof r.facts.currency === 'string' ? r.facts.currency : currency) : null;
  };
  switch (r.code) {
    case 'budget_exceeded': {
      const [requested, available] = [money('requested'), money('available')];
      const kind = r.facts.kind === 'vendor' || r.facts.kind === 'partner' ? `${BUDGET_KIND[r.facts.kind].toLowerCase()} ` : '';
      return requested && available ? `This request needs ${requested}, but only ${available} is left of the ${kind}budget it draws on.` : null;
    }
    case 'allocation_exceeded': {
      const [available, needed] = [money('available'), money('needed')];
      return available && needed ? `You have ${available} of partner-borne budget left to allocate, and this needs ${needed} more.` : null;
    }
    case 'budget_below_used': {
      const used = money('used');
      return used ? `${used} of it is already reserved by open requests, issued or handed on, so it cannot go below that.` : null;
    }
    case 'no_budget_to_allocate': {
      const c = typeof r.facts.currency === 'string' ? r.facts.currency : currency;
      return `You have no partner-borne budget in ${c} for this period to allocate from. The platform admin grants it.`;
    }
    case 'budget_period_overlaps': {
      const { periodStart, periodEnd } = r.facts;
      return typeof periodStart === 'string' && typeof periodEnd === 'string'
        ? `It already has a budget of this kind in this currency for ${periodText(periodStart, periodEnd)}, which overlaps the period you chose.`
        : null;
    }
    default:
      return null;
  }
}
