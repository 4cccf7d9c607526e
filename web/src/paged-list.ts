// One hook for every keyset-paged list route: GET `path` answers {items, nextCursor} and takes the
// cursor back as `?cursor=`. The pages loaded so far read as one list (`data.items`); the next one
// loads on demand (`fetchNextPage`, shown by components/ShowMore.tsx).
import { keepPreviousData, useInfiniteQuery, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import { api, type Query } from './api';
import type { Page } from './api-types';

export interface PagedListOptions<T> {
  /** Keep showing the current rows while another filter's first page loads (no flash of nothing). */
  keepPrevious?: boolean;
  /** Re-read every loaded page this often (ms), or decide from the rows loaded (false: stop). */
  refetchInterval?: number | ((items: T[]) => number | false);
}

type Pages<T> = InfiniteData<Page<T>, string | undefined>;

const allItems = <T>(pages: Pages<T> | undefined): T[] => pages?.pages.flatMap((p) => p.items) ?? [];
const withItems = <T>(data: Pages<T>) => ({ ...data, items: allItems(data) });

export function usePagedList<T>(queryKey: QueryKey, path: string, query: Query, opts: PagedListOptions<T> = {}) {
  const { keepPrevious = false, refetchInterval } = opts;
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => api.get<Page<T>>(path, { ...query, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    select: withItems<T>,
    placeholderData: keepPrevious ? keepPreviousData : undefined,
    refetchInterval: typeof refetchInterval === 'function' ? (q) => refetchInterval(allItems(q.state.data)) : refetchInterval,
  });
}
