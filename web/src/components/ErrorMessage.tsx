import type { ReactNode } from 'react';
import { ApiError } from '../api';

/**
 * The API's own words for a failure, with each field it named; any other error as its message.
 * `children` adds what only the page can say (e.g. the names of the accounts a refusal names by id);
 * `forbidden` says in words what a 403 means on this page (who may read it), instead of the
 * API's terse reason.
 */
export function ErrorMessage({ error, title, forbidden, children }: { error: unknown; title?: string; forbidden?: string; children?: ReactNode }) {
  if (!error) return null;
  const message = forbidden && error instanceof ApiError && error.status === 403 ? forbidden : error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="error-message" role="alert">
      {title ? <p className="error-title">{title}</p> : null}
      <p>{sentence(message)}</p>
      {details.length > 0 ? (
        <ul>
          {details.map((d, i) => (
            <li key={`${d.field}-${i}`}>
              <span className="error-field">{fieldLabel(d.field)}</span>: {d.message}
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </div>
  );
}

/** "body.reason" -> "reason": the location prefix means nothing to a person. */
export function fieldLabel(field: string): string {
  return field.replace(/^(body|query|params|headers)\./, '') || 'request';
}

function sentence(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}
