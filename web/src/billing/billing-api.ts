// The billing view's data: React Query hooks over the /v1 wallet, checkout, order, refund and
// statement routes (src/coupons/, src/orders/, src/refunds/, src/billing/statements.ts). Keys start
// with 'billing' so one invalidation refreshes the whole view after a payment or a refund.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../api';
import type {
  Bill, CheckoutBody, Coupon, CouponStatus, LedgerEntry, Order, Page, Product, Quote, Refund, RefundQuote,
} from '../api-types';
import { usePagedList } from '../paged-list';
import type { Statement } from './statement-types';

export interface WalletFilters {
  status?: CouponStatus;
  product?: string;
  /** An ISO instant. */
  expiresBefore?: string;
}

export const billingKeys = {
  all: ['billing'] as const,
  wallet: (f: WalletFilters) => ['billing', 'wallet', f] as const,
  usable: ['billing', 'wallet', 'usable'] as const,
  coupon: (id: string) => ['billing', 'coupon', id] as const,
  ledger: (id: string) => ['billing', 'ledger', id] as const,
  products: ['billing', 'products'] as const,
  orders: ['billing', 'orders'] as const,
  order: (id: string) => ['billing', 'order', id] as const,
  refundQuote: (id: string) => ['billing', 'refund-quote', id] as const,
  refund: (id: string) => ['billing', 'refund', id] as const,
  statement: (accountId: string, period: string, date: string) => ['billing', 'statement', accountId, period, date] as const,
  overdue: (accountId: string) => ['billing', 'overdue', accountId] as const,
};

/** The wallet (R13, R14), newest first, with the filters GET /v1/coupons offers; more pages on demand. */
export function useWallet(f: WalletFilters) {
  const query = { limit: 50, status: f.status, product: f.product, expiresBefore: f.expiresBefore };
  return usePagedList<Coupon>(billingKeys.wallet(f), '/v1/coupons', query, { keepPrevious: true });
}

/** The unused coupons by id: names the coupons a quote lists (the quote carries only ids). */
export function useUsableCoupons() {
  return useQuery({
    queryKey: billingKeys.usable,
    queryFn: ({ signal }) => api.get<Page<Coupon>>('/v1/coupons', { limit: 200, status: 'unused' }, signal),
    select: (p) => new Map(p.items.map((c) => [c.id, c])),
  });
}

/** Every coupon of the account by id (first 200): names the coupons on a statement. */
export function useCouponNames() {
  return useQuery({
    queryKey: ['billing', 'wallet', 'names'],
    queryFn: ({ signal }) => api.get<Page<Coupon>>('/v1/coupons', { limit: 200 }, signal),
    select: (p) => new Map(p.items.map((c) => [c.id, c])),
  });
}

export function useCoupon(id: string) {
  return useQuery({ queryKey: billingKeys.coupon(id), queryFn: ({ signal }) => api.get<Coupon>(`/v1/coupons/${seg(id)}`, undefined, signal) });
}

/** Deduction details (R25), oldest first, paged by the last entry's id. */
export function useLedger(id: string) {
  return usePagedList<LedgerEntry>(billingKeys.ledger(id), `/v1/coupons/${seg(id)}/ledger`, { limit: 50 }, { paging: 'after' });
}

export function useProducts() {
  return useQuery({
    queryKey: billingKeys.products,
    queryFn: ({ signal }) => api.get<{ items: Product[] }>('/v1/products', undefined, signal),
    select: (r) => r.items,
    staleTime: 5 * 60_000,
  });
}

export function useQuote() {
  return useMutation({ mutationFn: (body: CheckoutBody) => api.post<Quote>('/v1/checkout/quote', body) });
}

/** Pays with the submission's Idempotency-Key: the same key for a retry never pays twice (R21, R26). */
export function usePay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, coupon, key }: { body: CheckoutBody; coupon: string; key: string }) =>
      api.post<Order>('/v1/orders', { ...body, coupon }, { 'Idempotency-Key': key }),
    onSettled: () => void client.invalidateQueries({ queryKey: billingKeys.all }),
  });
}

export function useOrders() {
  return usePagedList<Order>(billingKeys.orders, '/v1/orders', { limit: 50 });
}

export function useOrder(id: string) {
  return useQuery({ queryKey: billingKeys.order(id), queryFn: ({ signal }) => api.get<Order>(`/v1/orders/${seg(id)}`, undefined, signal) });
}

/** What a refund would give back now (R27-R30); asked for only when the person wants to refund. */
export function useRefundQuote(id: string, enabled: boolean) {
  return useQuery({
    queryKey: billingKeys.refundQuote(id),
    queryFn: ({ signal }) => api.get<RefundQuote>(`/v1/orders/${seg(id)}/refund-quote`, undefined, signal),
    enabled,
    staleTime: 0,
  });
}

/** The order's refund, or null when it has none (404). */
export function useRefund(id: string, enabled: boolean) {
  return useQuery({
    queryKey: billingKeys.refund(id),
    queryFn: async ({ signal }) => {
      try {
        return await api.get<Refund>(`/v1/orders/${seg(id)}/refund`, undefined, signal);
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
    enabled,
  });
}

export function useRequestRefund() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) => api.post<Refund>(`/v1/orders/${seg(id)}/refund`, reason ? { reason } : {}),
    onSettled: () => void client.invalidateQueries({ queryKey: billingKeys.all }),
  });
}

export function useStatement(accountId: string | null, period: 'daily' | 'monthly', date: string) {
  return useQuery({
    queryKey: billingKeys.statement(accountId ?? '', period, date),
    queryFn: ({ signal }) => api.get<Statement>(`/v1/accounts/${seg(accountId!)}/statement`, { period, date }, signal),
    enabled: accountId !== null && date !== '',
    placeholderData: keepPreviousData,
  });
}

/** The account's overdue bills (R20), to mark them on the statement. */
export function useOverdueBills(accountId: string | null) {
  return useQuery({
    queryKey: billingKeys.overdue(accountId ?? ''),
    queryFn: ({ signal }) => api.get<Page<Bill>>('/v1/bills', { accountId, status: 'overdue', limit: 200 }, signal),
    enabled: accountId !== null,
    select: (p) => p.items,
  });
}

/** Path of a statement's CSV download (same-origin, cookie-signed). */
export const statementCsvHref = (accountId: string, period: string, date: string) =>
  `/v1/accounts/${seg(accountId)}/statement?${new URLSearchParams({ period, date, format: 'csv' }).toString()}`;
