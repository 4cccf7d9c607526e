import pino from 'pino';

/** Keys whose values never reach a log line, in any object logged: `log.info({ user: { password } })`. */
const SECRET_KEYS = new Set(['token', 'tokenHash', 'csrfToken', 'password', 'currentPassword', 'newPassword', 'passwordHash', 'password_hash']);

/**
 * Secrets never reach a log line: tokens, session cookies (sent and set), CSRF tokens and
 * passwords. pino-http logs no bodies; the secret keys guard any object that holds one.
 * One wildcard path, `*.*`, visits each key of every logged object once, and the censor keeps all
 * but the secret ones (a header path always redacts): the same lines as one `*.<key>` path per
 * secret key, which pino's redaction parses again on every call, for each key of every line.
 */
export const REDACT: pino.LoggerOptions['redact'] = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', '*.*'],
  censor: (value: unknown, path: string[]) => (path.length === 2 && !SECRET_KEYS.has(path[1] ?? '') ? value : '[redacted]'),
};

// JSON logs on stdout; request-scoped children carry the request id (see http/app.ts).
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.SERVICE_NAME ?? 'channel-coupons' },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: REDACT,
});

export type Logger = pino.Logger;
