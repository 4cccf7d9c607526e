/** The button under a paged list that loads its next page; nothing once the last page is there. */
export function ShowMore({ list, label = 'Show more' }: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
  label?: string;
}) {
  if (!list.hasNextPage) return null;
  return (
    <button type="button" className="button button-secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
      {list.isFetchingNextPage ? 'Loading…' : label}
    </button>
  );
}
