/**
 * Benchmark: one pay-as-you-go billing cycle of 100,000 bill lines over 10,000 accounts holding
 * 30,000 coupons, through the real path: outbox intent -> relay -> BullMQ -> `billing.cycle`
 * (lanes of account batches, each batch inserting its bills with the coupons already applied).
 *
 *   npm run bench:billing      (scripts/bench.sh provisions PostgreSQL + Redis like the tests)
 *
 * Last stdout line: {"bench":"billing","lines":100000,"ms":...,"lines_per_s":...}. Target: >= 20,000.
 * Exits 1 if the result does not reconcile (bills: cash_due = amount - deduction (a CHECK) and
 * deduction = the ledger's deduct rows carrying the bill; coupons: balance = sum of ledger).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { QueueEvents } from 'bullmq';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { enqueueJob } from '../src/jobs/outbox';
import { startWorkers } from '../src/jobs/worker-runtime';
import { handlers } from '../workers/handlers';

const ACCOUNTS = 10_000;
const PRODUCTS = 10; // ACCOUNTS x PRODUCTS bill lines
const COUPONS_PER_ACCOUNT = 3;
const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

async function main(): Promise<void> {
  const cfg = loadConfig({ ...process.env, QUEUE_PREFIX: `b${randomUUID().slice(0, 8)}`, SWEEP_EVERY_MS: '0', OUTBOX_POLL_MS: '50' });
  const ds = await createDataSource(cfg.DATABASE_URL, 10).initialize();
  await ds.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await ds.runMigrations({ transaction: 'each' });
  say('building 10,000 accounts, 30,000 coupons and 100,000 usage records');
  const t = randomUUID();
  const day = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000);
  await ds.query(
    `INSERT INTO products (code, name, category) SELECT 'p' || g, 'Product ' || g, 'bench' FROM generate_series(1, ${PRODUCTS}) g;
     INSERT INTO partners (tenant_id, id, tier, name) VALUES ('${t}', '${t}', 1, 'bench');
     INSERT INTO users (id, email, name, role, tenant_id, partner_id) VALUES ('${t}', 'bench@bench.example', 'b', 'partner_admin', '${t}', '${t}');
     INSERT INTO coupon_templates (tenant_id, id, partner_id, name, currency, face_value, cost_bearer, issue_limit, validity_kind, valid_days, usage, billing_modes)
       VALUES ('${t}', '${t}', '${t}', 'bench', 'USD', 1000000, 'partner', 'unlimited', 'relative', 30, 'reusable', '{payg}');
     INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts, total_face_value, status, submitted_by)
       VALUES ('${t}', '${t}', '${t}', '${t}', 'partner', 'USD', 1000000, 1, 1000000, 'issued', '${t}');
     INSERT INTO accounts (tenant_id, partner_id, kind, name) SELECT '${t}', '${t}', 'customer', 'a' || g FROM generate_series(1, ${ACCOUNTS}) g;`,
  );
  // Coupons: per account one product coupon (p1), one general, one general one-time; unique per
  // (request, account), so each coupon gets a request of its own.
  await ds.query(
    `WITH a AS (SELECT id, row_number() OVER () AS n FROM accounts WHERE tenant_id = '${t}'),
     k AS (SELECT a.id AS account_id, g AS kind, gen_random_uuid() AS req FROM a CROSS JOIN generate_series(1, ${COUPONS_PER_ACCOUNT}) g),
     r AS (INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts, total_face_value, status, submitted_by)
           SELECT '${t}', req, '${t}', '${t}', 'partner', 'USD', 1000000, 1, 1000000, 'issued', '${t}' FROM k RETURNING id),
     c AS (INSERT INTO coupons (tenant_id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status, cost_bearer, usage,
                                valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
           SELECT '${t}', k.account_id, '${t}', '${t}', k.req, 'USD', 20000, 20000, 'unused', 'partner',
                  CASE WHEN k.kind = 3 THEN 'one_time' ELSE 'reusable' END, now() - interval '30 days', now() + interval '30 days' + make_interval(days => k.kind),
                  CASE WHEN k.kind = 1 THEN '{p1}'::text[] ELSE '{}' END, '{payg}', '{}', false, '{}'
             FROM k WHERE EXISTS (SELECT 1 FROM r) RETURNING tenant_id, id, account_id, balance)
     INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after) SELECT tenant_id, id, account_id, 'issue', balance, balance FROM c`,
  );
  await ds.query(
    `INSERT INTO usage_records (tenant_id, account_id, usage_id, product_code, currency, amount, occurred_at)
     SELECT '${t}', a.id, 'u-' || p, 'p' || p, 'USD', 1000 + p * 37, $1::timestamptz + interval '1 hour'
       FROM accounts a CROSS JOIN generate_series(1, ${PRODUCTS}) p WHERE a.tenant_id = '${t}';
     ANALYZE`.replace('$1::timestamptz', `'${day.toISOString()}'::timestamptz`),
  );
  const runtime = await startWorkers(ds, cfg, handlers, pino({ level: process.env.LOG_LEVEL ?? 'error' }, process.stderr));
  const events = new QueueEvents('billing', { connection: { url: cfg.REDIS_URL }, prefix: cfg.QUEUE_PREFIX });
  await events.waitUntilReady();
  const [cycle] = await ds.query(`INSERT INTO billing_cycles (period, period_start, period_end) VALUES ('daily', $1, $2) RETURNING id`, [day, new Date(day.getTime() + 86_400_000)]);
  const jobId = `billing.cycle-${cycle.id}`;
  const done = new Promise<void>((resolve, reject) => {
    events.on('completed', ({ jobId: id }) => id === jobId && resolve());
    events.on('failed', ({ jobId: id, failedReason }) => id === jobId && reject(new Error(failedReason)));
  });
  say('running the cycle');
  const t0 = performance.now();
  await ds.transaction((em) => enqueueJob(em, 'billing.cycle', cycle.id, { cycleId: cycle.id }));
  await done;
  const ms = Math.round(performance.now() - t0);
  const [check] = await ds.query(
    `SELECT (SELECT count(*) FROM bills WHERE cycle_id = $1)::int AS lines,
            (SELECT count(*) FROM bills WHERE cycle_id = $1 AND coupons_applied_at IS NULL)::int AS unapplied,
            (SELECT count(*) FROM bills WHERE cycle_id = $1 AND coupon_deduction > 0)::int AS with_coupons,
            (SELECT count(*) FROM (SELECT c.id FROM coupons c JOIN coupon_ledger l ON l.tenant_id = c.tenant_id AND l.coupon_id = c.id
                GROUP BY c.id, c.balance HAVING c.balance <> sum(l.amount)) x)::int AS ledger_mismatches,
            (SELECT count(*) FROM bills b LEFT JOIN (SELECT tenant_id, bill_id, -sum(amount) AS paid FROM coupon_ledger WHERE type = 'deduct' GROUP BY 1, 2) l
                ON l.tenant_id = b.tenant_id AND l.bill_id = b.id
              WHERE b.cycle_id = $1 AND b.coupon_deduction <> coalesce(l.paid, 0))::int AS bill_mismatches`,
    [cycle.id],
  );
  await events.close();
  await runtime.close();
  await ds.destroy();
  say(JSON.stringify(check));
  if (check.lines !== ACCOUNTS * PRODUCTS || check.unapplied !== 0 || check.ledger_mismatches !== 0 || check.bill_mismatches !== 0 || check.with_coupons === 0) {
    say('the cycle did not produce what it must');
    process.exitCode = 1;
  }
  const lines = ACCOUNTS * PRODUCTS;
  process.stdout.write(`${JSON.stringify({ bench: 'billing', lines, ms, lines_per_s: Math.round((lines * 1000) / ms) })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
