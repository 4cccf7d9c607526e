// Time for people: ages ("3 h ago") and instants in the reader's own time zone. Framework-free
// (tested by test/web/time.test.ts). Instants arrive from the API as ISO 8601 strings in UTC.

/** 42 -> "42 s", 7260 -> "2 h", 200000 -> "2 d": the largest whole unit, rounded down. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** "just now" under a minute, else "3 h ago". */
export function formatAge(seconds: number): string {
  return seconds < 60 ? 'just now' : `${formatDuration(seconds)} ago`;
}

/** Seconds between an ISO instant and `now` (never negative: a clock a little ahead reads as 0). */
export function secondsSince(iso: string, now: number = Date.now()): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** "23 Nov 2025, 14:05" in the browser's time zone. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** Whether an ISO instant is at or before `now`. */
export function isPast(iso: string, now: number = Date.now()): boolean {
  return Date.parse(iso) <= now;
}
