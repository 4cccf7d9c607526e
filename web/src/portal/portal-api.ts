// The portal's data: React Query hooks over the partner's /v1 routes. Keys start with 'portal' so
// one invalidation refreshes the view after a change (a new template, a request submitted or cancelled).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../api';
import type {
  Account, AuditEvent, Coupon, Deductions, IssuanceItem, IssuanceRequest, Page, Partner, Product, RequestStatus, Template, VoidSummary,
} from '../api-types';
import { usePagedList } from '../paged-list';

export const portalKeys = {
  all: ['portal'] as const,
  accounts: (q: string, kind: string) => ['portal', 'accounts', q, kind] as const,
  templates: (status: string) => ['portal', 'templates', status] as const,
  products: ['portal', 'products'] as const,
  requests: (status: string) => ['portal', 'requests', status] as const,
  request: (id: string) => ['portal', 'request', id] as const,
  items: (id: string) => ['portal', 'items', id] as const,
  history: (id: string) => ['portal', 'history', id] as const,
  coupon: (id: string) => ['portal', 'coupon', id] as const,
  deductions: (partnerId: string, from: string, to: string, accountId: string) => ['portal', 'deductions', partnerId, from, to, accountId] as const,
  resellers: (partnerId: string) => ['portal', 'resellers', partnerId] as const,
};

export const ACCOUNTS_PAGE = 25;

/** The partner's subaccounts, name contains `q`, of one kind or both; more pages on demand. */
export function useAccounts(q: string, kind: '' | 'customer' | 'reseller', limit = ACCOUNTS_PAGE) {
  const query = { q: q.trim() || undefined, kind: kind || undefined, limit };
  return usePagedList<Account>([...portalKeys.accounts(q, kind), limit], '/v1/accounts', query, { keepPrevious: true });
}

/** A distributor's tier-2 resellers; more pages on demand. */
export function useResellers(partnerId: string) {
  return usePagedList<Partner>(portalKeys.resellers(partnerId), '/v1/partners', { parentId: partnerId, limit: 50 });
}

export function useTemplates(status: '' | 'active' | 'archived') {
  return usePagedList<Template>(portalKeys.templates(status), '/v1/templates', { status: status || undefined, limit: 100 }, { keepPrevious: true });
}

export function useProducts() {
  return useQuery({
    queryKey: portalKeys.products,
    queryFn: ({ signal }) => api.get<{ items: Product[] }>('/v1/products', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export function useCreateTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Template>('/v1/templates', body),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['portal', 'templates'] }),
  });
}

/** Statuses in which the workers still have something to do: the lists poll while one is shown. */
export const SETTLING: RequestStatus[] = ['submitted', 'approved', 'issuing'];
export const isSettling = (r: IssuanceRequest) => SETTLING.includes(r.status);
const POLL_MS = 1000;

/** The partner's requests, newest first; re-read every second only while one of them is being issued. */
export function useRequests(status: '' | RequestStatus) {
  return usePagedList<IssuanceRequest>(portalKeys.requests(status), '/v1/issuance-requests', { status: status || undefined, limit: 50 }, {
    keepPrevious: true,
    refetchInterval: (items) => (items.some(isSettling) ? POLL_MS : false),
  });
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: portalKeys.request(id),
    queryFn: ({ signal }) => api.get<IssuanceRequest>(`/v1/issuance-requests/${seg(id)}`, undefined, signal),
    refetchInterval: (q) => (q.state.data && isSettling(q.state.data) ? POLL_MS : false),
  });
}

/** Per subaccount: the coupon or why it failed (R12); re-read while the request is being issued. */
export function useRequestItems(id: string, status: RequestStatus | undefined, settling: boolean) {
  return useQuery({
    // The status is in the key: the last read while issuing may predate the last coupon.
    queryKey: [...portalKeys.items(id), status ?? ''],
    queryFn: ({ signal }) => api.get<Page<IssuanceItem>>(`/v1/issuance-requests/${seg(id)}/items`, { limit: 200 }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: settling ? POLL_MS : false,
  });
}

export function useRequestHistory(id: string, status: string | undefined) {
  return useQuery({
    // The status is in the key so a change of status re-reads the history.
    queryKey: [...portalKeys.history(id), status ?? ''],
    queryFn: ({ signal }) => api.get<{ items: AuditEvent[] }>(`/v1/issuance-requests/${seg(id)}/history`, undefined, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSubmitRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { templateId: string; accountIds: string[] }) => api.post<IssuanceRequest>('/v1/issuance-requests', body),
    onSuccess: () => void client.invalidateQueries({ queryKey: portalKeys.all }),
  });
}

export function useCancelRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<IssuanceRequest>(`/v1/issuance-requests/${seg(id)}/cancel`),
    onSettled: () => void client.invalidateQueries({ queryKey: portalKeys.all }),
  });
}

/** One coupon the partner issued (R12), with when and why it was revoked (R35). */
export function useCoupon(id: string) {
  return useQuery({
    queryKey: portalKeys.coupon(id),
    queryFn: ({ signal }) => api.get<Coupon>(`/v1/coupons/${seg(id)}`, undefined, signal),
  });
}

/** R35: void one coupon with a reason; the view re-reads the coupon and its request. */
export function useVoidCoupon() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<Coupon>(`/v1/coupons/${seg(id)}/void`, { reason }),
    onSettled: () => void client.invalidateQueries({ queryKey: portalKeys.all }),
  });
}

/** R35: void every open coupon of a request with a reason. */
export function useVoidRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<VoidSummary>(`/v1/issuance-requests/${seg(id)}/void`, { reason }),
    onSettled: () => void client.invalidateQueries({ queryKey: portalKeys.all }),
  });
}

export function useDeductions(partnerId: string, from: string, to: string, accountId: string) {
  return useQuery({
    queryKey: portalKeys.deductions(partnerId, from, to, accountId),
    queryFn: ({ signal }) =>
      api.get<Deductions>(`/v1/partners/${seg(partnerId)}/coupon-deductions`, { from, to, accountId: accountId || undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

/** A GET download the browser fetches itself (the session cookie goes with it). */
export function couponReportCsv(partnerId: string, month: string): string {
  return `/v1/partners/${seg(partnerId)}/coupon-report?month=${encodeURIComponent(month)}&format=csv`;
}
export function statementCsv(accountId: string, month: string): string {
  return `/v1/accounts/${seg(accountId)}/statement?period=monthly&date=${encodeURIComponent(month)}&format=csv`;
}
export function couponLedgerCsv(couponId: string): string {
  return `/v1/coupons/${seg(couponId)}/ledger.csv`;
}
