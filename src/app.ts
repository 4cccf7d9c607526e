import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import pinoHttp from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { ForbiddenError } from '@casl/ability';
import { logger } from './logger';
import { config } from './config';
import { authenticate } from './auth/authenticate';
import { sessionRoutes } from './auth/sessions/session.routes';
import { partnerRoutes } from './tenancy/partners/partner.routes';
import { accountRoutes } from './tenancy/accounts/account.routes';
import { userRoutes } from './tenancy/users/user.routes';
import { catalogRoutes } from './catalog/catalog.routes';
import { budgetRoutes } from './budgets/budget.routes';
import { templateRoutes } from './templates/template.routes';
import { issuanceRoutes } from './issuance/issuance.routes';
import { activationRoutes } from './issuance/activation.routes';
import { couponRoutes } from './coupons/coupon.routes';
import { orderRoutes } from './orders/order.routes';
import { checkoutFastPath } from './orders/checkout-fast.routes';
import { billingRoutes } from './billing/billing.routes';
import { reconcileRoutes } from './reconcile/reconcile.routes';
import { voucherRoutes } from './vouchers/voucher.routes';
import { refundRoutes } from './refunds/refund.routes';
import { compensationRoutes } from './compensation/compensation.routes';
import { settlementRoutes } from './settlement/settlement.routes';
import { mountQueueDashboard } from './http/queue-dashboard';
import type { Queue } from 'bullmq';
import { AppError } from './shared/errors';
import { errorHandler } from './http/errors';
import { httpDuration, metrics, registerOutboxGauge } from './metrics';
import { openApiDocument } from './http/openapi-registry';
import { DEFAULT_WEB_DIST, webApp } from './http/web-app';

export interface AppDeps {
  ds: DataSource;
  redis: Redis;
  /** BullMQ queues for the platform admins' dashboard; absent in processes that show none. */
  queues?: Queue[];
  /** The built web app; default WEB_DIST_DIR, else web/dist. Served only when it holds index.html. */
  webDist?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

ForbiddenError.setDefaultMessage((e) => `your role may not ${e.action} this ${e.subjectType}${e.field ? ` field "${e.field}"` : ''}`);

export function createApp({ ds, redis, queues = [], webDist }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Client addresses (R31 attempt limits) come from X-Forwarded-For only through this many proxies.
  const hops = config().TRUST_PROXY_HOPS;
  if (hops > 0) app.set('trust proxy', hops);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use((req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });

  // `open` holds the one /v1 route reached without authentication (signing in); `v1` the rest.
  const open = express.Router();
  const v1 = express.Router();
  sessionRoutes({ open, v1 }, ds, redis);
  partnerRoutes(v1, ds);
  accountRoutes(v1, ds);
  userRoutes(v1, ds);
  catalogRoutes(v1, ds);
  budgetRoutes(v1, ds);
  templateRoutes(v1, ds);
  issuanceRoutes(v1, ds);
  activationRoutes(v1, ds, redis);
  couponRoutes(v1, ds);
  orderRoutes(v1, ds);
  billingRoutes(v1, ds);
  reconcileRoutes(v1, ds);
  voucherRoutes(v1, ds);
  refundRoutes(v1, ds);
  compensationRoutes(v1, ds);
  settlementRoutes(v1, ds);

  // A body is JSON or refused: a form or text/plain body is never read as if it were JSON.
  app.use('/v1', (req, _res, next) => {
    const sent = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (sent && !req.is('application/json')) {
      next(new AppError('unsupported_media_type', 'a request body must be sent as application/json', { contentType: req.headers['content-type'] ?? null }));
      return;
    }
    next();
  });
  app.use('/v1', express.json({ limit: '2mb', strict: true }));
  // The /v1 routes first, the two of every order foremost: the rest are the operators' and the web app's.
  app.use(open);
  app.use(checkoutFastPath(ds)); // quote and pay for a bearer token: authenticated in their own statement

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready means able to do what requests need: PostgreSQL answers a statement, and Redis takes a
  // rate limiter's write and read (sign-in and activation codes use them), not only a PING, which
  // a Redis refusing writes (out of memory, read-only, persistence failing) still answers.
  const probe = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'readyz', points: 1_000_000_000, duration: 10 });
  app.get('/readyz', async (_req, res) => {
    const [db, queue] = await Promise.allSettled([ds.query('SELECT 1'), probe.consume('probe')]);
    const checks = { postgres: db.status === 'fulfilled' ? 'ok' : 'down', redis: queue.status === 'fulfilled' ? 'ok' : 'down' };
    const ok = checks.postgres === 'ok' && checks.redis === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', checks });
  });
  registerOutboxGauge(ds);
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  const doc = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(doc, { customSiteTitle: 'channel-coupons API' }));

  if (queues.length) mountQueueDashboard(app, ds, queues);
  const web = webApp(webDist ?? config().WEB_DIST_DIR ?? DEFAULT_WEB_DIST);
  if (web) app.use(web);
  app.use('/v1', authenticate(ds));
  app.use(v1);
  app.use((_req, _res, next) => next(new AppError('not_found', 'no such route')));
  app.use(errorHandler);
  return app;
}
