import type { ReactNode } from 'react';

/** A field with its label, help and error wired for screen readers. */
export function Field({ id, label, error, help, children }: { id: string; label: string; error?: string; help?: ReactNode; children: (aria: object) => ReactNode }) {
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {help ? <p className="field-help" id={`${id}-help`}>{help}</p> : null}
      {error ? <p className="field-error" id={`${id}-error`}>{error}</p> : null}
    </div>
  );
}
