// Budgets' data (R36, src/budgets/budget.routes.ts), for the two areas that show them: the portal
// (a partner's own budgets, a distributor's allocations to its resellers) and the BD view (grants).
// Each hook takes its area's root key, so the area's one invalidation refreshes budgets too.
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../api';
import type { Budget, BudgetLedgerEntry, GrantBudgetBody, SetBudgetAmountBody } from '../api-types';
import { usePagedList } from '../paged-list';

export type BudgetArea = 'portal' | 'bd';

const keys = {
  list: (area: BudgetArea, partnerId: string) => [area, 'budgets', partnerId] as const,
  one: (area: BudgetArea, id: string) => [area, 'budget', id] as const,
  ledger: (area: BudgetArea, id: string) => [area, 'budget-ledger', id] as const,
  allocation: (area: BudgetArea, from: string, resellerId: string) => [area, 'allocation', from, resellerId] as const,
};

const listBudgets = (partnerId: string, signal: AbortSignal, query?: { kind?: Budget['kind']; currency?: string; at?: string }) =>
  api.get<{ items: Budget[] }>(`/v1/partners/${seg(partnerId)}/budgets`, query, signal).then((r) => r.items);

/** A partner's budgets, newest period first (the API's order). */
export function useBudgets(area: BudgetArea, partnerId: string | null) {
  return useQuery({
    queryKey: keys.list(area, partnerId ?? ''),
    queryFn: ({ signal }) => listBudgets(partnerId!, signal),
    enabled: partnerId !== null && partnerId !== '',
  });
}

export function useBudget(area: BudgetArea, id: string) {
  return useQuery({ queryKey: keys.one(area, id), queryFn: ({ signal }) => api.get<Budget>(`/v1/budgets/${seg(id)}`, undefined, signal) });
}

/** Every movement of a budget, oldest first, paged by entry id. */
export function useBudgetLedger(area: BudgetArea, id: string) {
  return usePagedList<BudgetLedgerEntry>(keys.ledger(area, id), `/v1/budgets/${seg(id)}/ledger`, { limit: 100 }, { paging: 'after' });
}

/**
 * Per reseller, its allocation out of the distributor's budget `from` (null: none yet). One read per
 * reseller shown: the API lists budgets per partner.
 */
export function useAllocations(area: BudgetArea, from: Budget, resellerIds: string[]) {
  return useQueries({
    queries: resellerIds.map((id) => ({
      queryKey: keys.allocation(area, from.id, id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        listBudgets(id, signal, { kind: 'partner', currency: from.currency, at: from.periodStart }).then((bs) => bs.find((b) => b.parentBudgetId === from.id) ?? null),
    })),
    combine: (results) => ({
      byReseller: new Map(resellerIds.map((id, i) => [id, results[i]?.data])),
      pending: results.some((r) => r.isPending),
      error: results.find((r) => r.error)?.error ?? null,
    }),
  });
}

/** A grant to a partner (admin, BD), or a distributor's allocation to one of its resellers. */
export function useGrantBudget(area: BudgetArea) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ partnerId, body }: { partnerId: string; body: GrantBudgetBody }) => api.post<Budget>(`/v1/partners/${seg(partnerId)}/budgets`, body),
    onSuccess: () => void client.invalidateQueries({ queryKey: [area] }),
  });
}

/** Sets a budget's granted amount (a distributor changing a reseller's allocation). */
export function useSetBudgetAmount(area: BudgetArea) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SetBudgetAmountBody }) => api.patch<Budget>(`/v1/budgets/${seg(id)}`, body),
    onSuccess: () => void client.invalidateQueries({ queryKey: [area] }),
  });
}
