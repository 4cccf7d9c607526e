// The settlement months (R37) as both the portal and the platform admin's area read them: a UTC
// month's status, when it closed, from when it may close. The key starts with the area, so each
// area's own invalidation refreshes it.
import { queryOptions } from '@tanstack/react-query';
import { api } from './api';
import type { SettlementMonth } from './api-types';
import { addMonths, type MonthText } from './months';

/** How many months a list page shows: the year ending with the month chosen. */
export const MONTHS_SHOWN = 12;

/** The first month of the MONTHS_SHOWN ending with `to`. */
export const rangeStart = (to: MonthText) => addMonths(to, -(MONTHS_SHOWN - 1));

/** GET /v1/settlement-months from `from` to `to`, newest first. */
export function settlementMonthsQuery(area: string, from: MonthText, to: MonthText) {
  return queryOptions({
    queryKey: [area, 'settlement-months', from, to] as const,
    queryFn: ({ signal }) => api.get<{ items: SettlementMonth[] }>('/v1/settlement-months', { from, to }, signal),
  });
}
