import type { ErrorRequestHandler } from 'express';
import { ForbiddenError } from '@casl/ability';
import { ZodError } from 'zod';
import { pgCode } from '../db/tx';
import { logger } from '../logger';

export type ErrorDetails = Record<string, unknown> | Array<Record<string, unknown>> | null;

/** The one error base: a stable machine code, an HTTP status, a message for people, details. */
export class AppError extends Error {
  /** Response headers that go with the error (e.g. Retry-After on a 429). */
  headers?: Record<string, string>;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = null,
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') =>
  // Not yours and not there read the same, so an id never tells whether it exists (R1).
  new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (reason: string, details: ErrorDetails = null) => new AppError(403, 'forbidden', reason, details);
export const conflict = (message: string, details: ErrorDetails = null) => new AppError(409, 'conflict', message, details);
export const unprocessable = (message: string, details: ErrorDetails = null) =>
  new AppError(422, 'unprocessable', message, details);
export const unauthenticated = (message: string) => new AppError(401, 'unauthenticated', message);

export function validationError(err: ZodError, location: 'body' | 'query' | 'params' | 'headers'): AppError {
  const details = err.issues.flatMap((i) => {
    const at = [location, ...i.path.map(String)].join('.');
    // An unknown field is reported at the field itself, one detail per field.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: `${at}.${k}`, code: 'unknown_field', message: 'unknown field' }));
    return [{ field: at, code: i.code, message: i.message }];
  });
  return new AppError(400, 'validation_failed', `invalid ${location}: ${details[0]?.field ?? location}`, details);
}

/** PostgreSQL errors that reach the edge: constraint violations are the client's, the rest ours. */
function fromPg(err: unknown): AppError | undefined {
  const code = pgCode(err);
  const constraint = (err as { driverError?: { constraint?: string }; constraint?: string }).driverError?.constraint;
  switch (code) {
    case '23505':
      return conflict('already exists', constraint ? { constraint } : null);
    case '23503':
      return unprocessable('refers to something that does not exist', constraint ? { constraint } : null);
    case '23514':
      return unprocessable('violates a rule', constraint ? { constraint } : null);
    case '40001':
    case '40P01':
      return new AppError(503, 'retry_later', 'the request collided with another; retry it');
    default:
      // Class 22, data exceptions (a value out of range, a bad date, a NUL in text): the schemas
      // refuse such input before it gets here; this is the last line of defence, and the input's.
      if (code?.startsWith('22')) return new AppError(400, 'invalid_value', 'a value is out of range or malformed', { sqlstate: code });
      return undefined;
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ForbiddenError) return forbidden(err.message);
  if (err instanceof ZodError) return validationError(err, 'body');
  const e = err as { type?: string; status?: number; expose?: boolean };
  // body-parser's errors: malformed JSON, too large, wrong charset.
  if (e?.type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'request body is too large');
  // The router could not decode a path parameter (a malformed percent-escape such as %ZZ).
  if (err instanceof URIError && e.status === 400) {
    return new AppError(400, 'validation_failed', 'a path parameter is not validly percent-encoded', [{ field: 'params', code: 'malformed_escape', message: 'malformed percent-escape' }]);
  }
  if (e?.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(e.status, 'bad_request', (err as Error).message);
  }
  return fromPg(err) ?? new AppError(500, 'internal', 'internal error');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appErr = toAppError(err);
  const log = req.log ?? logger;
  if (appErr.status >= 500) log.error({ err }, 'request failed');
  else log.info({ code: appErr.code, status: appErr.status }, 'request refused');
  if (res.headersSent) return;
  if (appErr.headers) res.set(appErr.headers);
  res.status(appErr.status).json({ error: { code: appErr.code, message: appErr.message, details: appErr.details } });
};
