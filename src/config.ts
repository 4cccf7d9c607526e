import { z } from 'zod';

// Configuration is read once, validated, and frozen. A bad variable stops the process at start
// with a message naming it, instead of failing on the first request that needs it.
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url().refine((u) => /^postgres(ql)?:/.test(u), 'must be a postgres:// URL'),
  REDIS_URL: z.url().refine((u) => /^rediss?:/.test(u), 'must be a redis:// URL'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  // BullMQ key prefix; braces make every key of a queue hash to one Redis Cluster slot.
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}-]+$/).default('{coupons}'),
  // Bootstrap: the first platform admin's token may be given; otherwise one is printed at first start.
  BOOTSTRAP_ADMIN_EMAIL: z.email().default('admin@vendor.example'),
  BOOTSTRAP_ADMIN_TOKEN: z.string().min(32).optional(),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60000).default(500),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600000).default(30000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120000).default(10000),
  METRICS_ENABLED: bool.default(true),
  // Coupons: the largest face value a template may have, in minor units (default 1,000,000.00).
  MAX_FACE_VALUE: z.coerce.bigint().positive().default(100_000_000n),
  // R9: how long a vendor-borne request waits for its BD before it expires (default 7 days).
  APPROVAL_WINDOW_SECONDS: z.coerce.number().int().min(1).max(90 * 24 * 3600).default(7 * 24 * 3600),
  // Coupons inserted per statement when issuing: one round trip per chunk.
  ISSUANCE_CHUNK: z.coerce.number().int().min(1).max(10000).default(2500),
  // How often the expiry sweep runs (R14); 0 turns the schedule off (tests run the sweep themselves).
  SWEEP_EVERY_MS: z.coerce.number().int().min(0).max(24 * 3600 * 1000).default(60_000),
  // R20: a pay-as-you-go bill is due this many days after its period ends, then overdue.
  BILL_DUE_DAYS: z.coerce.number().int().min(0).max(365).default(15),
  // R37: a month's settlement closes no earlier than this long after the month ended (default 1 hour),
  // longer than any transaction lasts; closing also waits for every transaction begun before the end.
  SETTLEMENT_GRACE_SECONDS: z.coerce.number().int().min(0).max(31 * 24 * 3600).default(3600),
  // R31: the key of the activation codes' HMAC. Required in production; changing it voids every
  // code not yet activated (their hashes no longer match).
  ACTIVATION_CODE_SECRET: z.string().min(32).optional(),
  // R31: wrong guesses allowed per account and per client address within the window.
  ACTIVATION_FAILS_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  ACTIVATION_FAILS_PER_ADDRESS: z.coerce.number().int().min(1).max(100000).default(20),
  ACTIVATION_FAIL_WINDOW_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(900),
  // How many reverse proxies in front of the API set X-Forwarded-For; 0 (default): the client
  // address is the socket's peer. Too high a number lets clients choose their own address.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Web sessions (cookie cc_session): signed out after this long without a request, and at the
  // latest this long after signing in (the cookie's Max-Age).
  SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(12 * 3600),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(90 * 24 * 3600).default(7 * 24 * 3600),
  // The session cookie's Secure flag. Browsers accept Secure cookies from http://localhost and
  // http://127.0.0.1 too, so only a plain-http deployment on another host needs false.
  COOKIE_SECURE: bool.default(true),
  // Failed sign-ins allowed per (email, client address) and per client address, each in its window.
  SIGNIN_FAILS_PER_EMAIL: z.coerce.number().int().min(1).max(1000).default(5),
  SIGNIN_EMAIL_WINDOW_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(900),
  SIGNIN_FAILS_PER_ADDRESS: z.coerce.number().int().min(1).max(100000).default(100),
  SIGNIN_ADDRESS_WINDOW_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(3600),
  // The built web app (index.html and assets/); served when its index.html exists. Default: web/dist.
  WEB_DIST_DIR: z.string().min(1).optional(),
});

// Only for development and tests: production must bring its own (checked below).
const DEV_ACTIVATION_CODE_SECRET = 'dev-only-activation-code-secret-not-for-production';

const validated = schema
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && (!c.ACTIVATION_CODE_SECRET || c.ACTIVATION_CODE_SECRET === DEV_ACTIVATION_CODE_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['ACTIVATION_CODE_SECRET'], message: 'required in production (at least 32 characters)' });
    }
  })
  .transform((c) => ({ ...c, ACTIVATION_CODE_SECRET: c.ACTIVATION_CODE_SECRET ?? DEV_ACTIVATION_CODE_SECRET }));

export type Config = Readonly<z.output<typeof validated>>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = validated.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
