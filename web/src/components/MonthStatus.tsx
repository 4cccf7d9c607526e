import type { SettlementMonth } from '../api-types';
import { formatMonth, hasEnded } from '../months';
import { isPast } from '../time';
import { DateTime } from './DateTime';

/** "Closed" or "Open", in a badge: the words carry the meaning. */
export function MonthBadge({ status }: { status: SettlementMonth['status'] }) {
  return <span className={`badge badge-month-${status}`}>{status === 'closed' ? 'Closed' : 'Open'}</span>;
}

/**
 * A settlement month's standing in one sentence: when it closed (its figures are final), or that
 * it is open and its figures may still change, and from when it can close.
 */
export function MonthStatus({ state }: { state: SettlementMonth }) {
  const name = formatMonth(state.month);
  if (state.status === 'closed' && state.closedAt) {
    return (
      <p className="month-status">
        <MonthBadge status="closed" /> {name} was closed on <DateTime iso={state.closedAt} />. Its figures are final: a later refund shows up
        in the month it is made, as an adjustment.
      </p>
    );
  }
  return (
    <p className="month-status">
      <MonthBadge status="open" /> {name} is {hasEnded(state.month) ? 'over but not closed yet' : 'still running'}, so its figures may still
      change.{isPast(state.closableAt) ? null : <> It can close from <DateTime iso={state.closableAt} />.</>}
    </p>
  );
}
