// The BD view's data: React Query hooks over the /v1 approval routes (src/issuance/issuance.routes.ts).
// Keys start with 'bd' so one invalidation refreshes the whole view after a decision.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../api';
import type { ApprovalDetail, DecidedRequest, IssuanceItem, IssuanceRequest, Page, Partner, QueuedRequest, RequestStatus } from '../api-types';
import { usePagedList } from '../paged-list';

export type Outcome = 'approved' | 'rejected';

export const bdKeys = {
  all: ['bd'] as const,
  queue: ['bd', 'queue'] as const,
  partners: ['bd', 'partners'] as const,
  distributors: ['bd', 'partners', 'tier-1'] as const,
  detail: (id: string) => ['bd', 'detail', id] as const,
  items: (id: string) => ['bd', 'items', id] as const,
  decisions: (outcome: Outcome | undefined) => ['bd', 'decisions', outcome ?? 'all'] as const,
};

const QUEUE_PAGE = 100;

/** Pending requests of the BD's partners, oldest first (R2); more pages on demand. */
export function useQueue() {
  // A partner's new request shows up without a reload.
  return usePagedList<QueuedRequest>(bdKeys.queue, '/v1/approval-queue', { limit: QUEUE_PAGE }, { refetchInterval: 60_000 });
}

/** The BD's partners by id, for the names in the queue (the queue items carry only ids). */
export function usePartnerNames() {
  return useQuery({
    queryKey: bdKeys.partners,
    queryFn: ({ signal }) => api.get<Page<Partner>>('/v1/partners', { limit: 200 }, signal),
    select: (page) => new Map(page.items.map((p) => [p.id, p.name])),
    staleTime: 5 * 60_000,
  });
}

/** The BD's tier-1 partners (R36: vendor-borne budget goes to them, never to a reseller). */
export function useDistributors() {
  return useQuery({
    queryKey: bdKeys.distributors,
    queryFn: ({ signal }) => api.get<Page<Partner>>('/v1/partners', { tier: 1, limit: 200 }, signal),
    select: (page) => page.items,
    staleTime: 5 * 60_000,
  });
}

const SETTLING: RequestStatus[] = ['approved', 'issuing'];

/** What a BD needs to decide; re-read every second while an approved request is being issued. */
export function useApprovalDetail(id: string | null) {
  return useQuery({
    queryKey: bdKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<ApprovalDetail>(`/v1/approval-queue/${seg(id!)}`, undefined, signal),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && SETTLING.includes(q.state.data.request.status) ? 1000 : false),
  });
}

const ITEMS_SHOWN = 50;

/** The first accounts the request goes to (R9), with their names. */
export function useRequestItems(id: string | null, enabled: boolean) {
  return useQuery({
    queryKey: bdKeys.items(id ?? ''),
    queryFn: ({ signal }) => api.get<Page<IssuanceItem>>(`/v1/issuance-requests/${seg(id!)}/items`, { limit: ITEMS_SHOWN }, signal),
    enabled: id !== null && enabled,
  });
}

/**
 * Approve or reject; afterwards every BD query is refreshed (the request leaves the queue). Use it
 * in a component that outlives the decision (the page): React Query drops the callbacks given to
 * mutate() when their component unmounts, and the decision panel goes once the request is decided.
 */
export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (d: { id: string; action: 'approve' } | { id: string; action: 'reject'; reason: string }) =>
      d.action === 'approve'
        ? api.post<IssuanceRequest>(`/v1/issuance-requests/${seg(d.id)}/approve`)
        : api.post<IssuanceRequest>(`/v1/issuance-requests/${seg(d.id)}/reject`, { reason: d.reason }),
    onSettled: () => void client.invalidateQueries({ queryKey: bdKeys.all }),
  });
}

/** The BD's own decisions, newest first (GET /v1/approval-decisions). */
export function useMyDecisions(outcome: Outcome | undefined) {
  return usePagedList<DecidedRequest>(bdKeys.decisions(outcome), '/v1/approval-decisions', { limit: 50, outcome }, { keepPrevious: true });
}

export type Decide = ReturnType<typeof useDecide>;
