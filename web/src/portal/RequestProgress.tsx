import { useId } from 'react';
import type { IssuanceRequest } from '../api-types';
import { isSettling } from './portal-api';

/** How far the workers got (R9): a labelled <progress> while issuing, the counts once settled. */
export function RequestProgress({ request }: { request: IssuanceRequest }) {
  const id = useId();
  const { issued, failed, total } = request.progress;
  const done = issued + failed;
  if (request.status === 'pending_approval') return <span className="hint">Waiting for your BD</span>;
  if (['rejected', 'cancelled', 'expired'].includes(request.status)) return <span className="hint">Nothing issued</span>;
  const text = `${issued} of ${total} issued${failed > 0 ? `, ${failed} failed` : ''}`;
  return (
    <span className="request-progress">
      <label htmlFor={id}>{text}</label>
      <progress id={id} max={total} value={done} aria-valuetext={isSettling(request) ? `${text}, still issuing` : text} />
    </span>
  );
}
