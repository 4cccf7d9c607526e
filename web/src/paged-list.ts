// One hook for every keyset-paged list route: GET `path` answers {items, nextCursor} and takes the
// cursor back as `?cursor=`; a ledger route (`paging: 'after'`) answers {items, next} and takes the
// last entry's id back as `?after=`. The pages loaded so far read as one list (`data.items`); the
// next one loads on demand (`fetchNextPage`, shown by components/ShowMore.tsx).
import { keepPreviousData, useInfiniteQuery, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import { api, type Query } from './api';
import type { Page } from './api-types';

export interface PagedListOptions<T> {
  /** Keep showing the current rows while another filter's first page loads (no flash of nothing). */
  keepPrevious?: boolean;
  /** Re-read every loaded page this often (ms), or decide from the rows loaded (false: stop). */
  refetchInterval?: number | ((items: T[]) => number | false);
  /** 'cursor' (lists: {items, nextCursor}, ?cursor=) or 'after' (ledgers: {items, next}, ?after=<last entry id>). */
  paging?: 'cursor' | 'after';
}

/** A page of a ledger route (the coupon and budget ledgers), paged by entry id. */
interface EntryPage<T> {
  items: T[];
  next: string | null;
}

type Pages<T> = InfiniteData<Page<T>, string | undefined>;

const allItems = <T>(pages: Pages<T> | undefined): T[] => pages?.pages.flatMap((p) => p.items) ?? [];
const withItems = <T>(data: Pages<T>) => ({ ...data, items: allItems(data) });

export function usePagedList<T>(queryKey: QueryKey, path: string, query: Query, opts: PagedListOptions<T> = {}) {
  const { keepPrevious = false, refetchInterval, paging = 'cursor' } = opts;
  return useInfiniteQuery({
    queryKey,
    queryFn: async ({ pageParam, signal }): Promise<Page<T>> => {
      if (paging === 'cursor') return api.get<Page<T>>(path, { ...query, cursor: pageParam }, signal);
      const p = await api.get<EntryPage<T>>(path, { ...query, after: pageParam }, signal);
      return { items: p.items, nextCursor: p.next };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    select: withItems<T>,
    placeholderData: keepPrevious ? keepPreviousData : undefined,
    refetchInterval: typeof refetchInterval === 'function' ? (q) => refetchInterval(allItems(q.state.data)) : refetchInterval,
  });
}
