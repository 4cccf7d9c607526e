// Months as the settlement knows them: UTC calendar months, written 'YYYY-MM' by the API
// (src/settlement/settlement-month.ts). Framework-free (tested by test/web/months.test.ts).

export type MonthText = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A 'YYYY-MM' month the API takes (it starts at 1970-01). */
export function isMonth(text: string): boolean {
  return MONTH.test(text) && text >= '1970-01';
}

const index = (m: MonthText) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const at = (i: number): MonthText => `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;

/** The UTC month of an instant. */
export const monthOfInstant = (d: Date): MonthText => d.toISOString().slice(0, 7);

/** `n` months after `m` (before it when negative). */
export const addMonths = (m: MonthText, n: number): MonthText => at(index(m) + n);

/** The first instant after the month, UTC. */
export const monthEnd = (m: MonthText): Date => new Date(`${addMonths(m, 1)}-01T00:00:00.000Z`);

/** Whether the month is over at `now`. */
export const hasEnded = (m: MonthText, now: Date = new Date()): boolean => monthEnd(m).getTime() <= now.getTime();

/** The `count` months ending with `last`, newest first. */
export function monthsUpTo(last: MonthText, count: number): MonthText[] {
  return Array.from({ length: count }, (_, i) => addMonths(last, -i));
}

const names = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** '2026-11' -> 'November 2026' (the month as a calendar month, whatever the reader's time zone). */
export function formatMonth(m: MonthText): string {
  return names.format(new Date(`${m}-01T00:00:00.000Z`));
}
