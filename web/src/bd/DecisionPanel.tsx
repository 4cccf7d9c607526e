import { useEffect, useId, type FormEvent } from 'react';
import { ApiError } from '../api';
import type { ApprovalDetail, IssuanceRequest } from '../api-types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { ReasonField, useReasonInput } from '../components/ReasonField';
import { formatMoney } from '../money';
import type { Decide } from './bd-api';

/** A keyboard shortcut's request to focus the reason of one request; `n` changes with each press. */
export interface ReasonFocus {
  requestId: string;
  n: number;
}

/**
 * Approve (after a confirm step) or reject with a reason (R9). An empty reason is refused here,
 * before any request, with a labelled error on the field; the API's own refusal is shown too.
 */
export function DecisionPanel({ detail, decide, confirming, setConfirming, reasonFocus, onDecided }: {
  detail: ApprovalDetail;
  /** Owned by the page, which outlives this panel: the panel goes once the request is decided. */
  decide: Decide;
  /** The confirm step of an approval is open (the page's `a` shortcut opens it too). */
  confirming: boolean;
  setConfirming: (open: boolean) => void;
  reasonFocus: ReasonFocus | null;
  onDecided: (request: IssuanceRequest, outcome: 'approved' | 'rejected') => void;
}) {
  const { request, partner } = detail;
  // The page's one mutation may have been about another request.
  const error = decide.variables?.id === request.id ? decide.error : null;
  const reason = useReasonInput('Give a reason for rejecting: the partner sees it.');
  const headingId = useId();
  const total = formatMoney(request.totalFaceValue, request.currency);
  const what = request.kind === 'activation_codes' ? `${request.totalAccounts} activation codes` : `${request.totalAccounts} account${request.totalAccounts === 1 ? '' : 's'}`;

  // The page's `r` shortcut: to the reason field (also when this panel only now appears).
  useEffect(() => {
    if (reasonFocus?.requestId !== request.id) return;
    reason.ref.current?.focus();
    reason.ref.current?.scrollIntoView({ block: 'nearest' });
  }, [reasonFocus, request.id, reason.ref]);

  const approve = (close: () => void) => {
    decide.mutate(
      { id: request.id, action: 'approve' },
      {
        onSuccess: (r) => {
          // Closed now, not on the next render: while it is open, nothing outside it can take the focus.
          close();
          onDecided(r, 'approved');
        },
        onSettled: () => setConfirming(false),
      },
    );
  };

  const reject = (e: FormEvent) => {
    e.preventDefault();
    const text = reason.take();
    if (!text) return;
    decide.mutate({ id: request.id, action: 'reject', reason: text }, { onSuccess: (r) => onDecided(r, 'rejected') });
  };

  return (
    <section className="decision-panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Your decision</h3>
      {error ? <ErrorMessage error={error} title="The decision was not recorded" /> : null}
      <div className="decision-approve">
        <button type="button" className="button button-primary" disabled={decide.isPending} onClick={() => setConfirming(true)}>
          Approve…
        </button>
        <span className="hint">
          or press <kbd>a</kbd>
        </span>
      </div>

      <form className="form decision-reject" onSubmit={reject} noValidate>
        <ReasonField
          input={reason}
          label="Reason for rejecting"
          help={<>The partner sees it. Press <kbd>r</kbd> to come here.</>}
          apiError={error instanceof ApiError ? error.fieldMessage('reason') : undefined}
        />
        <button type="submit" className="button button-danger" disabled={decide.isPending}>
          Reject request
        </button>
      </form>

      <ConfirmDialog
        open={confirming}
        title="Approve this request?"
        confirmLabel="Yes, approve"
        pendingLabel="Approving…"
        pending={decide.isPending}
        onConfirm={approve}
        onClose={() => setConfirming(false)}
      >
        <p>
          {partner.name} issues {detail.template.name}: {what}, {total} in total, borne by the vendor. The coupons are issued as soon as you
          approve, and the decision is final.
        </p>
      </ConfirmDialog>
    </section>
  );
}
