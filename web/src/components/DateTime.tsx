import { formatAge, formatDateTime, secondsSince } from '../time';

/** An instant in the reader's time zone, machine-readable in <time dateTime>. */
export function DateTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/**
 * How long ago ("3 h ago"). `seconds` is the server's age when it gave one (no client clock
 * skew), else it is computed from `iso`; the full instant is in the tooltip.
 */
export function Age({ iso, seconds }: { iso: string; seconds?: number }) {
  const s = seconds ?? secondsSince(iso);
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatAge(s)}
    </time>
  );
}
