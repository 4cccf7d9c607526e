// What the platform admin reads when a month does not close (pure; tested by test/web/months.test.ts).
import { ApiError } from '../api';
import { formatMonth, type MonthText } from '../months';
import { formatDateTime } from '../time';

/**
 * The API's two refusals of a close as sentences: the month is not over (with its grace period),
 * or something begun inside it is still being written. null for any other failure, which the
 * page shows as the API said it.
 */
export function closeRefusal(error: unknown, month: MonthText): string | null {
  if (!(error instanceof ApiError)) return null;
  const name = formatMonth(month);
  if (error.code === 'month_not_over') {
    const at = error.facts.closableAt;
    const when = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? ` It can close from ${formatDateTime(at)}.` : '';
    return `${name} cannot close yet: a month closes only once it is over and a short grace period after its end has passed.${when}`;
  }
  if (error.code === 'month_still_written') {
    return `${name} cannot close yet: payments or refunds that began before it ended are still being written. Try again in a minute.`;
  }
  return null;
}
