import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ReasonField, useReasonInput } from '../components/ReasonField';

/**
 * R35: void with a reason, then a confirm step. An empty reason is refused here, before any
 * request, under the field; the dialog says what will happen (`consequences`). The API's refusal
 * (a role that may not void: 403, a coupon used meanwhile: 409) is the page's to show, as the
 * panel goes once nothing is left to void; a field it names is shown here too.
 */
export function VoidPanel({ heading, intro, confirmTitle, consequences, pending, error, onVoid, onVoided }: {
  heading: string;
  intro: ReactNode;
  confirmTitle: string;
  /** What the void does, for the dialog. */
  consequences: ReactNode;
  pending: boolean;
  /** The last refusal, for the reason field's message. */
  error: unknown;
  /** Sends the void (the page's mutation, which outlives this panel). */
  onVoid: (reason: string) => Promise<unknown>;
  /** After the dialog closed on success: move the focus to what shows the outcome. */
  onVoided: () => void;
}) {
  const headingId = useId();
  const reason = useReasonInput('Give a reason for voiding: the account sees it.');
  const [confirming, setConfirming] = useState(false);
  const text = reason.value.trim();

  const ask = (e: FormEvent) => {
    e.preventDefault();
    if (reason.take()) setConfirming(true);
  };
  const confirm = (close: () => void) =>
    onVoid(text).then(
      () => {
        close(); // first: while the dialog is open, nothing outside it can take the focus
        onVoided();
      },
      () => close(),
    );

  return (
    <section className="void-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      <p>{intro}</p>
      <form className="form" onSubmit={ask} noValidate>
        <ReasonField
          input={reason}
          label="Reason for voiding"
          help="Kept with each coupon; the account's users see it."
          apiError={error instanceof ApiError ? error.fieldMessage('reason') : undefined}
          rows={2}
        />
        <button type="submit" className="button button-danger" disabled={pending}>
          {pending ? 'Voiding…' : 'Void…'}
        </button>
      </form>
      <ConfirmDialog
        open={confirming}
        title={confirmTitle}
        confirmLabel="Yes, void"
        pendingLabel="Voiding…"
        backLabel="Keep"
        danger
        pending={pending}
        onConfirm={(close) => void confirm(close)}
        onClose={() => setConfirming(false)}
      >
        {consequences}
        <p>Reason: “{text}”. A void cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
