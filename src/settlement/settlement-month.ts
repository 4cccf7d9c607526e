import { AppError } from '../shared/errors';

/**
 * Months as the settlement knows them: UTC calendar months, written 'YYYY-MM', stored as the date of
 * their first day. Pure helpers, no database.
 */
export type MonthText = string;

export const monthIndex = (m: MonthText) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
export const monthAt = (index: number): MonthText => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
export const monthOfInstant = (d: Date): MonthText => d.toISOString().slice(0, 7);
export const firstDay = (m: MonthText) => `${m}-01`;
export const monthStart = (m: MonthText) => new Date(`${m}-01T00:00:00.000Z`);
export const monthEnd = (m: MonthText) => monthStart(monthAt(monthIndex(m) + 1));
export const addMonths = (m: MonthText, n: number) => monthAt(monthIndex(m) + n);

/** The months from `from` to `to`, both included, oldest first. */
export function monthsBetween(from: MonthText, to: MonthText): MonthText[] {
  const out: MonthText[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthAt(i));
  return out;
}

/** A range of months given by a query: `to` not before `from`, at most `max` months. */
export function monthRange(from: MonthText, to: MonthText, max: number): MonthText[] {
  const span = monthIndex(to) - monthIndex(from) + 1;
  if (span < 1) throw new AppError('validation_failed', 'invalid range', [{ field: 'query.to', code: 'invalid_range', message: 'must not be before from' }]);
  if (span > max) throw new AppError('validation_failed', 'invalid range', [{ field: 'query.to', code: 'too_big', message: `at most ${max} months from from` }]);
  return monthsBetween(from, to);
}

/**
 * R37: a month may close once it has ended and the grace period after its end has passed (so no
 * transaction that began inside it can still be writing; close-month.ts checks that too).
 */
export const closableAt = (m: MonthText, graceSeconds: number) => new Date(monthEnd(m).getTime() + graceSeconds * 1000);

/** How many ended months back the scheduled close looks, so an outage of the workers is caught up. */
export const CATCH_UP_MONTHS = 3;

/**
 * The months the scheduled job closes at `now`: the latest months (at most CATCH_UP_MONTHS) whose
 * grace period is over, oldest first, less those already closed.
 */
export function dueMonths(now: Date, graceSeconds: number, closed: ReadonlySet<MonthText>): MonthText[] {
  let latest = monthIndex(monthOfInstant(now));
  while (closableAt(monthAt(latest), graceSeconds).getTime() > now.getTime()) latest--;
  return monthsBetween(monthAt(latest - CATCH_UP_MONTHS + 1), monthAt(latest)).filter((m) => !closed.has(m));
}
