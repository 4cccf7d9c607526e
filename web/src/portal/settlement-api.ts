// The portal's settlement data (R37-R39): a partner's months, one month's settlement, a
// distributor's resellers' totals. Keys start with 'portal' like the rest of the portal's.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, seg } from '../api';
import type { ResellerTotals, Settlement, SettlementTotals } from '../api-types';
import type { MonthText } from '../months';
import { rangeStart, settlementMonthsQuery } from '../settlement-months';

export const settlementKeys = {
  list: (partnerId: string, to: MonthText) => ['portal', 'settlements', partnerId, to] as const,
  month: (partnerId: string, month: MonthText) => ['portal', 'settlement', partnerId, month] as const,
  resellers: (partnerId: string, to: MonthText) => ['portal', 'reseller-totals', partnerId, to] as const,
};

/** Which of the months up to `to` are closed, and when; from when the open ones may close. */
export function useSettlementMonths(from: MonthText, to: MonthText) {
  return useQuery({ ...settlementMonthsQuery('portal', from, to), placeholderData: keepPreviousData });
}

/** The partner's settlement totals per month and currency, for the months shown up to `to`. */
export function useSettlements(partnerId: string, to: MonthText) {
  return useQuery({
    queryKey: settlementKeys.list(partnerId, to),
    queryFn: ({ signal }) =>
      api.get<{ items: SettlementTotals[] }>(`/v1/partners/${seg(partnerId)}/settlements`, { from: rangeStart(to), to }, signal),
    placeholderData: keepPreviousData,
  });
}

/** One month's settlement: totals, lines and liability per currency. */
export function useSettlement(partnerId: string, month: MonthText) {
  return useQuery({
    queryKey: settlementKeys.month(partnerId, month),
    queryFn: ({ signal }) => api.get<Settlement>(`/v1/partners/${seg(partnerId)}/settlements/${seg(month)}`, undefined, signal),
  });
}

/**
 * A distributor's resellers (R39): their coupon totals per month, template and cost bearer, and
 * what each owes, for the months shown up to `to`. Nothing of their customers is asked for.
 */
export function useResellerTotals(partnerId: string, to: MonthText) {
  return useQuery({
    queryKey: settlementKeys.resellers(partnerId, to),
    queryFn: ({ signal }) => api.get<ResellerTotals>(`/v1/partners/${seg(partnerId)}/reseller-totals`, { from: rangeStart(to), to }, signal),
    placeholderData: keepPreviousData,
  });
}

/** A GET download the browser fetches itself (the session cookie goes with it): every line of the month. */
export function settlementCsv(partnerId: string, month: MonthText): string {
  return `/v1/partners/${seg(partnerId)}/settlements/${seg(month)}?format=csv`;
}
