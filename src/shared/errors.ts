import type { ZodError } from 'zod';
import { statusOf, type ErrorCode } from './error-codes';

export type ErrorDetails = Record<string, unknown> | Array<Record<string, unknown>> | null;

/**
 * The one error base: a stable code from the catalogue (src/shared/error-codes.ts), which gives its
 * HTTP status, a message for people, details.
 */
export class AppError extends Error {
  /** Response headers that go with the error (e.g. Retry-After on a 429). */
  headers?: Record<string, string>;
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = null,
  ) {
    super(message);
    this.status = statusOf(code);
  }
}

export const notFound = (what = 'resource') =>
  // Not yours and not there read the same, so an id never tells whether it exists (R1).
  new AppError('not_found', `${what} not found`);
export const forbidden = (reason: string, details: ErrorDetails = null) => new AppError('forbidden', reason, details);
export const unauthenticated = (message: string) => new AppError('unauthenticated', message);

export function validationError(err: ZodError, location: 'body' | 'query' | 'params' | 'headers'): AppError {
  const details = err.issues.flatMap((i) => {
    const at = [location, ...i.path.map(String)].join('.');
    // An unknown field is reported at the field itself, one detail per field.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: `${at}.${k}`, code: 'unknown_field', message: 'unknown field' }));
    return [{ field: at, code: i.code, message: i.message }];
  });
  return new AppError('validation_failed', `invalid ${location}: ${details[0]?.field ?? location}`, details);
}
