import { useId, useRef, useState, type ReactNode } from 'react';
import { Field } from './Field';

/** What the API takes as a reason (src/shared/schemas.ts `Reason`): 1 to 1,000 characters. */
const REASON_MAX = 1000;

/**
 * A required reason as a person types it: `take()` answers the trimmed text, or shows
 * `emptyMessage` under the field, focuses it and answers null (nothing is sent); typing clears it.
 */
export function useReasonInput(emptyMessage: string) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const take = (): string | null => {
    const text = value.trim();
    setError(text ? null : emptyMessage);
    if (!text) ref.current?.focus();
    return text || null;
  };
  const onChange = (next: string) => {
    setValue(next);
    if (error && next.trim()) setError(null);
  };
  return { value, error, ref, take, onChange };
}

/** The labelled textarea of a reason, with its help before it and the page's or the API's error. */
export function ReasonField({ input, label, help, apiError, rows = 3 }: {
  input: ReturnType<typeof useReasonInput>;
  label: string;
  help: ReactNode;
  /** What the API said about the field, when the page has nothing to say. */
  apiError?: string;
  rows?: number;
}) {
  const id = useId();
  return (
    <Field id={id} label={label} help={help} helpFirst error={input.error ?? apiError} alert>
      {(aria) => (
        <textarea {...aria} ref={input.ref} name="reason" rows={rows} maxLength={REASON_MAX} value={input.value} onChange={(e) => input.onChange(e.target.value)} />
      )}
    </Field>
  );
}
