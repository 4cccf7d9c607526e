import { useId, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { isMonth, monthOfInstant, type MonthText } from '../months';
import { Field } from './Field';

/**
 * The month a page shows, kept in its address (`?month=2026-11`), so a link or a reload opens the
 * same month. Anything that is not a month reads as `fallback` (this UTC month by default).
 */
export function useMonthParam(key: string, fallback: MonthText = monthOfInstant(new Date())): [MonthText, (m: MonthText) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get(key) ?? '';
  const month = isMonth(raw) ? raw : fallback;
  const set = (m: MonthText) =>
    setParams(
      (p) => {
        p.set(key, m);
        return p;
      },
      { replace: true },
    );
  return [month, set];
}

/**
 * A month picker (`<input type="month">`; browsers without one show a text box that takes
 * YYYY-MM). What the person has typed stays in the box while it is not a month yet; each whole
 * month goes to `onChange`.
 */
export function MonthField({ label, value, onChange, help }: { label: string; value: MonthText; onChange: (m: MonthText) => void; help?: ReactNode }) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // The month changed from outside (a link, back): the box follows.
    setShown(value);
    setDraft(value);
  }
  const error = draft === value || isMonth(draft) ? undefined : 'Choose a month, such as 2026-11 (from 1970 on)';
  return (
    <Field id={id} label={label} help={help} error={error}>
      {(aria) => (
        <input
          {...aria}
          type="month"
          min="1970-01"
          placeholder="YYYY-MM"
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            if (isMonth(e.target.value)) onChange(e.target.value);
          }}
        />
      )}
    </Field>
  );
}

/** A list page's one filter: the year of months it shows, given by its last month (`?to=`). */
export function MonthsUpToFilter({ to, onChange, count }: { to: MonthText; onChange: (m: MonthText) => void; count: number }) {
  return (
    <form className="filters filters-row" onSubmit={(e) => e.preventDefault()}>
      <MonthField label="Months up to" value={to} onChange={onChange} help={`The ${count} months ending with this one.`} />
    </form>
  );
}
