import type { CouponStatus } from '../api-types';
import { STATUS_LABEL } from './coupon-text';

/** A coupon's status in words (R14); the colour only repeats what the words say. */
export function CouponStatusBadge({ status }: { status: CouponStatus }) {
  return <span className={`badge coupon-status coupon-status-${status}`}>{STATUS_LABEL[status] ?? status}</span>;
}

/** R35: why a revoked coupon was taken back, in the words of whoever voided it. */
export function RevokedReason({ reason }: { reason: string | null | undefined }) {
  return reason ? <span className="revoked-reason">Revoked: {reason}</span> : null;
}
