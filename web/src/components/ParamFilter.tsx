import { useId } from 'react';
import { useSearchParams } from 'react-router';
import { Field } from './Field';

/**
 * A list page's filter kept in the URL (`?param=value`, so a reload or a shared link shows the same
 * list): a labelled select inside the page's filter form. The empty value removes the parameter.
 */
export function ParamFilter({ label, param, value, options }: { label: string; param: string; value: string; options: readonly { value: string; label: string }[] }) {
  const [, setParams] = useSearchParams();
  const id = useId();
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()}>
      <Field id={id} label={label} className="field-inline">
        {(aria) => (
          <select
            {...aria}
            value={value}
            onChange={(e) =>
              setParams((p) => {
                if (e.target.value) p.set(param, e.target.value);
                else p.delete(param);
                return p;
              })
            }
          >
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
    </form>
  );
}
