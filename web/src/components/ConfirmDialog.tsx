import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * The confirm step before an action that cannot be taken back (approve, issue, cancel): a modal
 * <dialog> that states what will happen, with the confirm button focused. Back, Escape or the
 * cancel button close it and send nothing; the browser then gives the focus back to what opened it.
 * While `pending`, its buttons are disabled and Escape does nothing.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, pendingLabel, backLabel = 'Cancel', danger = false, pending = false, onConfirm, onClose }: {
  open: boolean;
  title: string;
  /** What will happen, in words (the dialog's description for screen readers). */
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  backLabel?: string;
  danger?: boolean;
  pending?: boolean;
  /**
   * Called with `close`, which closes the dialog at once: call it before moving the focus out of
   * it (while it is open, nothing outside it can take the focus).
   */
  onConfirm: (close: () => void) => void;
  /** The dialog closed (back, Escape, or `close`): the owner sets `open` to false. */
  onClose: () => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const ids = { title: useId(), text: useId() };

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      confirmRef.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  const close = () => dialogRef.current?.close();

  return (
    <dialog
      ref={dialogRef}
      className="confirm-dialog"
      aria-labelledby={ids.title}
      aria-describedby={ids.text}
      onCancel={(e) => {
        if (pending) e.preventDefault();
      }}
      onClose={onClose}
    >
      <h2 id={ids.title}>{title}</h2>
      <div id={ids.text}>{children}</div>
      <div className="dialog-actions">
        <button ref={confirmRef} type="button" className={`button ${danger ? 'button-danger' : 'button-primary'}`} disabled={pending} onClick={() => onConfirm(close)}>
          {pending ? pendingLabel : confirmLabel}
        </button>
        <button type="button" className="button button-secondary" disabled={pending} onClick={close}>
          {backLabel}
        </button>
      </div>
    </dialog>
  );
}
