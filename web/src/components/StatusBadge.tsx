import type { RequestStatus } from '../api-types';

const LABEL: Record<RequestStatus, string> = {
  submitted: 'Submitted',
  pending_approval: 'Waiting for approval',
  approved: 'Approved',
  issuing: 'Issuing',
  issued: 'Issued',
  issued_with_failures: 'Issued with failures',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

/** A request's status in words, coloured by outcome (the words carry the meaning, not the colour). */
export function StatusBadge({ status }: { status: RequestStatus }) {
  return <span className={`badge badge-${status}`}>{LABEL[status] ?? status}</span>;
}
