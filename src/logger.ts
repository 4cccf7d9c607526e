import pino from 'pino';

// JSON logs on stdout; request-scoped children carry the request id (see http/app.ts).
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.SERVICE_NAME ?? 'channel-coupons' },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Secrets never reach a log line: tokens, session cookies (sent and set), CSRF tokens and
  // passwords. pino-http logs no bodies; the password paths guard any object that holds one.
  redact: {
    paths: [
      'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
      '*.token', '*.tokenHash', '*.csrfToken', '*.password', '*.currentPassword', '*.newPassword', '*.passwordHash', '*.password_hash',
    ],
    censor: '[redacted]',
  },
});

export type Logger = pino.Logger;
