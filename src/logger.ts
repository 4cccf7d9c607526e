import pino from 'pino';

// JSON logs on stdout; request-scoped children carry the request id (see http/app.ts).
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.SERVICE_NAME ?? 'channel-coupons' },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.tokenHash'], censor: '[redacted]' },
});

export type Logger = pino.Logger;
