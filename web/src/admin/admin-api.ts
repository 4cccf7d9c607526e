// The platform admin's data: the vendor's promotion expense and the settlement months (R37). Keys
// start with 'admin', so one invalidation after closing a month refreshes the area.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../api';
import type { PromotionExpense, SettlementMonthClosed } from '../api-types';
import type { MonthText } from '../months';
import { settlementMonthsQuery } from '../settlement-months';

export const adminKeys = {
  all: ['admin'] as const,
  expense: (month: MonthText) => ['admin', 'promotion-expense', month] as const,
};

/** Which months from `from` to `to` are closed, and when; from when the open ones may close. */
export function useSettlementMonths(from: MonthText, to: MonthText) {
  return useQuery({ ...settlementMonthsQuery('admin', from, to), placeholderData: keepPreviousData });
}

/** The vendor's promotion expense of a month, per BD, partner and template. */
export function usePromotionExpense(month: MonthText) {
  return useQuery({
    queryKey: adminKeys.expense(month),
    queryFn: ({ signal }) => api.get<PromotionExpense>('/v1/promotion-expense', { month }, signal),
    placeholderData: keepPreviousData,
  });
}

/** A GET download the browser fetches itself (the session cookie goes with it). */
export function promotionExpenseCsv(month: MonthText): string {
  return `/v1/promotion-expense?month=${encodeURIComponent(month)}&format=csv`;
}

/** Closes a month: every partner's settlement of it is frozen. Refreshes the whole area afterwards. */
export function useCloseMonth() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (month: MonthText) => api.post<SettlementMonthClosed>(`/v1/settlement-months/${seg(month)}/close`),
    onSettled: () => void client.invalidateQueries({ queryKey: adminKeys.all }),
  });
}
