import type { ReactNode } from 'react';

/**
 * A field with its label, help and error wired for screen readers: the control gets `id`,
 * `aria-invalid` and `aria-describedby` (help, then error) from `children(aria)`.
 * `status` sits between the label and the control, for what the control waits on (its options
 * loading, or failing to load); `helpFirst` puts the help there too, for a hint to read before
 * typing; `alert` announces the error as it appears.
 */
export function Field({ id, label, error, help, status, helpFirst = false, alert = false, className, children }: {
  id: string;
  label: string;
  error?: string;
  help?: ReactNode;
  status?: ReactNode;
  helpFirst?: boolean;
  alert?: boolean;
  /** Extra classes beside `field` (`field-inline`: label and control on one line). */
  className?: string;
  children: (aria: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const helpText = help ? <p className="field-help" id={`${id}-help`}>{help}</p> : null;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {status}
      {helpFirst ? helpText : null}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {helpFirst ? null : helpText}
      {error ? <p className="field-error" id={`${id}-error`} role={alert ? 'alert' : undefined}>{error}</p> : null}
    </div>
  );
}
