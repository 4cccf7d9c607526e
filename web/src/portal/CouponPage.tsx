import { useRef } from 'react';
import { Link, useParams } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { couponName, validityText } from '../billing/coupon-text';
import { CouponStatusBadge, RevokedReason } from '../billing/CouponStatusBadge';
import { couponLedgerCsv, useCoupon, useVoidCoupon } from './portal-api';
import { VoidPanel } from './VoidPanel';

const VOIDABLE = ['unused', 'pending_activation'];

/** One coupon the partner issued: status, balance, when and why it was revoked, and Void (R12, R35). */
export function PortalCouponPage() {
  const { id = '' } = useParams();
  const coupon = useCoupon(id);
  const voiding = useVoidCoupon();
  const statusRef = useRef<HTMLParagraphElement>(null);
  const c = coupon.data;

  if (coupon.isPending) return <Page title="Coupon"><Loading label="Loading the coupon…" /></Page>;
  if (!c) return <Page title="Coupon"><ErrorMessage error={coupon.error} title="The coupon could not be loaded" /></Page>;
  return (
    <Page title={`Coupon: ${couponName(c)}`}>
      {c.requestId ? <p><Link to={`/portal/requests/${c.requestId}`}>← Its request</Link></p> : null}
      <p className="request-status" ref={statusRef} tabIndex={-1} aria-live="polite">
        <CouponStatusBadge status={c.status} /> <RevokedReason reason={c.revokedReason} />
      </p>
      <ErrorMessage error={voiding.error} title="Nothing was voided" />
      <dl className="facts">
        <div><dt>Balance</dt><dd><Money minor={c.balance} currency={c.currency} /> of <Money minor={c.faceValue} currency={c.currency} /></dd></div>
        <div><dt>Valid</dt><dd>{validityText(c)}</dd></div>
        <div><dt>Issued</dt><dd><DateTime iso={c.issuedAt} /></dd></div>
        {c.revokedAt ? <div><dt>Revoked</dt><dd><DateTime iso={c.revokedAt} /></dd></div> : null}
        <div><dt>Ledger</dt><dd><a href={couponLedgerCsv(c.id)} download>CSV</a></dd></div>
      </dl>
      {VOIDABLE.includes(c.status) ? (
        <VoidPanel
          heading="Void this coupon"
          intro="Voiding takes back what the coupon has left; what was used stays used."
          confirmTitle="Void this coupon?"
          pending={voiding.isPending}
          error={voiding.error}
          onVoid={(reason) => voiding.mutateAsync({ id: c.id, reason })}
          onVoided={() => statusRef.current?.focus()} // the panel goes with the open status
          consequences={
            <p>
              The coupon becomes revoked: its balance of <Money minor={c.balance} currency={c.currency} /> leaves it and goes back to the budget
              it was issued from, and the account can no longer pay with it.
            </p>
          }
        />
      ) : null}
    </Page>
  );
}
