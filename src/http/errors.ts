import type { ErrorRequestHandler } from 'express';
import { ForbiddenError } from '@casl/ability';
import { ZodError } from 'zod';
import { AppError, forbidden, validationError } from '../shared/errors';
import { pgCode } from '../db/tx';
import { logger } from '../logger';

/** PostgreSQL errors that reach the edge: constraint violations are the client's, the rest ours. */
function fromPg(err: unknown): AppError | undefined {
  const code = pgCode(err);
  const constraint = (err as { driverError?: { constraint?: string }; constraint?: string }).driverError?.constraint;
  switch (code) {
    case '23505':
      return new AppError('already_exists', 'already exists', constraint ? { constraint } : null);
    case '23503':
      return new AppError('unknown_reference', 'refers to something that does not exist', constraint ? { constraint } : null);
    case '23514':
      return new AppError('rule_violated', 'violates a rule', constraint ? { constraint } : null);
    case '40001':
    case '40P01':
      return new AppError('retry_later', 'the request collided with another; retry it');
    default:
      // Class 22, data exceptions (a value out of range, a bad date, a NUL in text): the schemas
      // refuse such input before it gets here; this is the last line of defence, and the input's.
      if (code?.startsWith('22')) return new AppError('invalid_value', 'a value is out of range or malformed', { sqlstate: code });
      return undefined;
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ForbiddenError) return forbidden(err.message);
  if (err instanceof ZodError) return validationError(err, 'body');
  const e = err as { type?: string; status?: number; expose?: boolean };
  // body-parser's errors: malformed JSON, too large, wrong charset.
  if (e?.type === 'entity.parse.failed') return new AppError('invalid_json', 'request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new AppError('payload_too_large', 'request body is too large');
  // The router could not decode a path parameter (a malformed percent-escape such as %ZZ).
  if (err instanceof URIError && e.status === 400) {
    return new AppError('validation_failed', 'a path parameter is not validly percent-encoded', [{ field: 'params', code: 'malformed_escape', message: 'malformed percent-escape' }]);
  }
  if (e?.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(e.status === 413 ? 'payload_too_large' : e.status === 415 ? 'unsupported_media_type' : 'bad_request', (err as Error).message);
  }
  return fromPg(err) ?? new AppError('internal', 'internal error');
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
