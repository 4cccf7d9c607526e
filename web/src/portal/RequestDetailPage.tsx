import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { StatusBadge } from '../components/StatusBadge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { isSettling, useCancelRequest, useRequest, useRequestHistory, useRequestItems, useTemplates, useVoidRequest, couponLedgerCsv } from './portal-api';
import { RequestProgress } from './RequestProgress';
import { VoidPanel } from './VoidPanel';
import { STATUS_LABEL } from '../billing/coupon-text';
import { RevokedReason } from '../billing/CouponStatusBadge';
import type { CouponStatus } from '../api-types';

const CANCELLABLE = ['submitted', 'pending_approval'];
const ISSUED = ['issued', 'issued_with_failures'];

/** One request: its status and progress (live while issuing), each subaccount's coupon, its history (R9, R11, R12). */
export function RequestDetailPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const justSubmitted = (location.state as { submitted?: boolean } | null)?.submitted === true;
  const request = useRequest(id);
  const r = request.data;
  const settling = r ? isSettling(r) : false;
  const items = useRequestItems(id, r?.status, settling);
  const history = useRequestHistory(id, r?.status);
  const templates = useTemplates('');
  const template = templates.data?.items.find((t) => t.id === r?.templateId);
  const cancel = useCancelRequest();
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const voiding = useVoidRequest();
  const voided = voiding.data;
  const voidedRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (justSubmitted && r) statusRef.current?.focus();
  }, [justSubmitted, r?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Page title={template ? `Request: ${template.name}` : 'Request'}>
      <p><Link to="/portal/requests">← All requests</Link></p>
      {request.isPending ? <Loading label="Loading the request…" /> : null}
      {request.error ? <ErrorMessage error={request.error} title="This request could not be loaded" /> : null}
      {r ? (
        <>
          <p className="request-status" ref={statusRef} tabIndex={-1} aria-live="polite">
            {justSubmitted ? <span className="notice-inline">Request submitted. </span> : null}
            <StatusBadge status={r.status} /> <RequestProgress request={r} />
          </p>
          <dl className="facts">
            <div><dt>Template</dt><dd>{template?.name ?? r.templateId}</dd></div>
            <div><dt>Cost bearer</dt><dd>{r.costBearer === 'vendor' ? 'Vendor (approved by your BD)' : 'Partner (approved automatically)'}</dd></div>
            <div><dt>Coupons</dt><dd>{r.totalAccounts} × <Money minor={r.faceValue} currency={r.currency} /></dd></div>
            <div><dt>Total face value</dt><dd><Money minor={r.totalFaceValue} currency={r.currency} /></dd></div>
            <div><dt>Submitted</dt><dd><DateTime iso={r.createdAt} /></dd></div>
            {r.status === 'pending_approval' && r.expiresAt ? <div><dt>Expires if undecided</dt><dd><DateTime iso={r.expiresAt} /></dd></div> : null}
            {r.decidedAt ? <div><dt>Decided</dt><dd><DateTime iso={r.decidedAt} /></dd></div> : null}
            {r.decisionReason ? <div><dt>Reason</dt><dd>{r.decisionReason}</dd></div> : null}
          </dl>
          {CANCELLABLE.includes(r.status) ? (
            <div className="request-actions">
              <button type="button" className="button button-danger" disabled={cancel.isPending} onClick={() => setConfirmingCancel(true)}>
                {cancel.isPending ? 'Cancelling…' : 'Cancel request'}
              </button>
              <span className="hint"> Possible until your BD decides.</span>
              <ConfirmDialog
                open={confirmingCancel}
                title="Cancel this request?"
                confirmLabel="Yes, cancel request"
                pendingLabel="Cancelling…"
                backLabel="Keep request"
                danger
                pending={cancel.isPending}
                onConfirm={(close) =>
                  cancel.mutate(r.id, {
                    onSuccess: () => {
                      close();
                      statusRef.current?.focus(); // the button goes with the pending status
                    },
                    onError: () => close(),
                  })
                }
                onClose={() => setConfirmingCancel(false)}
              >
                <p>
                  {template?.name ?? 'This request'}: {r.kind === 'activation_codes' ? `${r.totalAccounts} activation codes` : `${r.totalAccounts} ${r.totalAccounts === 1 ? 'subaccount' : 'subaccounts'}`},{' '}
                  <Money minor={r.totalFaceValue} currency={r.currency} /> in total face value. Nothing of it is issued, and a cancelled request
                  cannot be reopened.
                </p>
              </ConfirmDialog>
            </div>
          ) : null}
          {cancel.error ? <ErrorMessage error={cancel.error} title="The request could not be cancelled" /> : null}
          {/* Always there, so that the outcome is announced and can take the focus as it appears. */}
          <div ref={voidedRef} tabIndex={-1} role="status">
            {voided ? (
              <p className="notice">
                Voided {voided.voided} {voided.voided === 1 ? 'coupon' : 'coupons'}
                {voided.writtenOff.map((w) => <span key={w.currency}>; <Money minor={w.amount} currency={w.currency} /> taken off</span>)}
                {voided.alreadyRevoked ? `; ${voided.alreadyRevoked} already revoked` : ''}
                {voided.notOpen ? `; ${voided.notOpen} used or expired left as they are` : ''}.
              </p>
            ) : null}
          </div>
          <ErrorMessage error={voiding.error} title="Nothing was voided" />
          {ISSUED.includes(r.status) ? (
            <VoidPanel
              heading="Void the request's coupons"
              intro="Takes back every coupon of this request that is still unused or not activated; used and expired ones stay as they are."
              confirmTitle="Void every open coupon of this request?"
              pending={voiding.isPending}
              error={voiding.error}
              onVoid={(reason) => voiding.mutateAsync({ id: r.id, reason })}
              onVoided={() => voidedRef.current?.focus()}
              consequences={
                <p>
                  Each unused or not activated coupon of {template?.name ?? 'this request'} ({r.progress.issued} issued) becomes revoked: what it has
                  left leaves it and goes back to the budget it was issued from, and its account can no longer pay with it.
                </p>
              }
            />
          ) : null}

          <h2>Subaccounts</h2>
          {items.isPending ? <Loading label="Loading the subaccounts…" /> : null}
          {items.error ? <ErrorMessage error={items.error} title="The subaccounts could not be loaded" /> : null}
          {items.data ? (
            <Table
              caption="Coupon per subaccount"
              rows={items.data.items}
              rowKey={(i) => i.accountId}
              columns={[
                { header: 'Subaccount', cell: (i) => i.accountName },
                { header: 'Outcome', cell: (i) => (i.status === 'failed' ? `Failed: ${i.failureReason ?? 'no reason given'}` : i.status === 'issued' ? 'Issued' : 'Not issued yet') },
                {
                  header: 'Coupon',
                  cell: (i) =>
                    i.coupon ? (
                      <>
                        <Link to={`/portal/coupons/${i.coupon.id}`}>{STATUS_LABEL[i.coupon.status as CouponStatus] ?? i.coupon.status}<span className="visually-hidden"> coupon of {i.accountName}</span></Link>
                        {' '}<RevokedReason reason={i.coupon.revokedReason} />
                      </>
                    ) : '',
                },
                { header: 'Used', align: 'right', cell: (i) => (i.coupon ? <Money minor={i.coupon.used} currency={r.currency} /> : '') },
                { header: 'Balance', align: 'right', cell: (i) => (i.coupon ? <Money minor={i.coupon.balance} currency={r.currency} /> : '') },
                {
                  header: 'Ledger',
                  cell: (i) => (i.coupon ? <a href={couponLedgerCsv(i.coupon.id)} download>CSV<span className="visually-hidden"> ledger of {i.accountName}'s coupon</span></a> : ''),
                },
              ]}
            />
          ) : null}

          <h2>History</h2>
          {history.error ? <ErrorMessage error={history.error} title="The history could not be loaded" /> : null}
          {history.data ? (
            <Table
              caption="What happened to this request"
              rows={history.data.items}
              rowKey={(e) => e.id}
              empty={<p className="hint">No history yet.</p>}
              columns={[
                { header: 'When', cell: (e) => <DateTime iso={e.at} /> },
                { header: 'Change', cell: (e) => (e.from || e.to ? `${e.from ?? '—'} → ${e.to ?? '—'}` : e.action) },
                { header: 'By', cell: (e) => (e.actorKind === 'system' ? 'System' : 'A person') },
                { header: 'Why', cell: (e) => e.reason ?? '' },
              ]}
            />
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
