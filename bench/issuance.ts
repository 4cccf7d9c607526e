/**
 * Benchmark: one approved request issued to 10,000 accounts through the real path (outbox intent ->
 * relay -> BullMQ -> `issuance.issue` chunked handler -> ISSUE_CHUNK_SQL), against a baseline of one
 * plain SQL statement inserting the same coupon and ledger rows in the same database.
 *
 *   npm run bench:issuance        (scripts/bench.sh provisions PostgreSQL + Redis like the tests)
 *
 * Progress goes to stderr; the last line on stdout is one JSON object:
 *   {"bench":"issuance","accounts":10000,"ms":...,"baseline_ms":...,"ratio":...}
 * Exits 1 when the issued rows are not what they must be.
 *
 * Settings (environment): BENCH_ACCOUNTS (10000), BENCH_WARMUP_ACCOUNTS (1000), ISSUANCE_CHUNK
 * (the handler's chunk size; the project default when unset), LOG_LEVEL for the workers' log on stderr (error).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { QueueEvents, type Job, type Worker } from 'bullmq';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { enqueueJob } from '../src/jobs/outbox';
import { startWorkers, type WorkerRuntime } from '../src/jobs/worker-runtime';
import { JOBS } from '../src/jobs/job-types';
import { handlers } from '../workers/handlers';

const ACCOUNTS = intEnv('BENCH_ACCOUNTS', 10_000);
const WARMUP_ACCOUNTS = intEnv('BENCH_WARMUP_ACCOUNTS', 1_000);
const JOB_TIMEOUT_MS = 120_000;
const CLOSE_TIMEOUT_MS = 20_000;

function intEnv(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`${name} must be an integer in 1..10000 (got '${v}')`);
  return n;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round1 = (ms: number) => Math.round(ms * 10) / 10;

/** The JSON result line, printed once everything is closed so it is the last line on stdout. */
let result: string | undefined;

interface Fixture {
  tenantId: string;
  templateId: string;
  userId: string;
}

/** One distributor, its partner-borne template, `n` customer accounts and a partner admin, in one round trip. */
async function buildFixture(ds: DataSource, n: number): Promise<Fixture> {
  const tenantId = randomUUID();
  const templateId = randomUUID();
  const userId = randomUUID();
  await ds.query(
    `INSERT INTO products (code, name, category) VALUES ('cvm', 'Cloud Virtual Machine', 'compute') ON CONFLICT (code) DO NOTHING;
     INSERT INTO partners (tenant_id, id, tier, name) VALUES ('${tenantId}', '${tenantId}', 1, 'bench-distributor');
     INSERT INTO users (id, email, name, role, tenant_id, partner_id)
       VALUES ('${userId}', 'bench-admin-${tenantId.slice(0, 8)}@bench.example', 'bench admin', 'partner_admin', '${tenantId}', '${tenantId}');
     INSERT INTO coupon_templates (tenant_id, id, partner_id, name, description, currency, face_value, cost_bearer, issue_limit,
                                   validity_kind, valid_days, usage, product_codes, billing_modes, scenarios, created_by)
       VALUES ('${tenantId}', '${templateId}', '${tenantId}', 'bench-template', 'issuance benchmark', 'USD', 5000, 'partner',
               'unlimited', 'relative', 30, 'reusable', '{cvm}', '{prepaid,payg}', '{purchase}', '${userId}');
     INSERT INTO accounts (tenant_id, partner_id, kind, name)
       SELECT '${tenantId}', '${tenantId}', 'customer', 'bench-' || g FROM generate_series(1, ${n}) g;
     ANALYZE partners, accounts, coupon_templates`,
  );
  return { tenantId, templateId, userId };
}

/** A request row as submit-request.ts writes it, in `status`; with its items when `items`. */
async function createRequest(ds: DataSource, f: Fixture, n: number, status: 'approved' | 'issued', items: boolean): Promise<string> {
  const id = randomUUID();
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts,
                                      total_face_value, status, submitted_by, issued_count)
       SELECT $1, $2, t.partner_id, t.id, t.cost_bearer, t.currency, t.face_value, $4::int, t.face_value * $4, $5, $6,
              CASE WHEN $5 = 'issued' THEN $4::int ELSE 0 END
         FROM coupon_templates t WHERE t.tenant_id = $1 AND t.id = $3`,
      [f.tenantId, id, f.templateId, n, status, f.userId],
    );
    if (items) {
      await em.query(
        `INSERT INTO issuance_items (tenant_id, request_id, account_id)
         SELECT $1, $2, a.id FROM (SELECT id FROM accounts WHERE tenant_id = $1 AND partner_id = $1 ORDER BY id LIMIT $3) a`,
        [f.tenantId, id, n],
      );
    }
  });
  return id;
}

/**
 * Waits for one BullMQ job id: completion comes from QueueEvents (attached before the job can
 * exist); a failed attempt, reported by the worker itself, rejects at once (a retried run would not
 * be a measurement).
 */
function completionOf(events: QueueEvents, workers: Worker[], jobId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${jobId} did not complete within ${JOB_TIMEOUT_MS} ms`)), JOB_TIMEOUT_MS);
    const onCompleted = ({ jobId: id }: { jobId: string }) => {
      if (id === jobId) finish(null);
    };
    const onFailed = (job: Job | undefined, err: Error) => {
      if (job?.id === jobId) finish(new Error(`${jobId} failed: ${err.message}`));
    };
    function finish(err: Error | null) {
      clearTimeout(timer);
      events.off('completed', onCompleted);
      for (const w of workers) w.off('failed', onFailed);
      if (err) reject(err);
      else resolve();
    }
    events.on('completed', onCompleted);
    for (const w of workers) w.on('failed', onFailed);
  });
}

/**
 * The real path: the request and its items are committed `approved` beforehand (as routing leaves
 * them); the clock runs from just before the transaction that writes the `issuance.issue` intent to
 * BullMQ's report that the job completed (relay + worker + every chunk + the settling step).
 */
async function issueThroughWorkers(ds: DataSource, events: QueueEvents, workers: Worker[], f: Fixture, n: number): Promise<{ requestId: string; ms: number }> {
  const requestId = await createRequest(ds, f, n, 'approved', true);
  const done = completionOf(events, workers, `issuance.issue-${requestId}`);
  const t0 = performance.now();
  await ds.transaction(async (em) => {
    await enqueueJob(em, 'issuance.issue', requestId, { tenantId: f.tenantId, requestId }, { tenantId: f.tenantId });
  });
  await done;
  return { requestId, ms: performance.now() - t0 };
}

/** The same coupon and ledger rows in one plain statement, for a request of its own (the FK needs one). */
const BASELINE_SQL = `
WITH t AS (
  SELECT * FROM coupon_templates WHERE tenant_id = $1 AND id = $2
), ins AS (
  INSERT INTO coupons (tenant_id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status,
                       cost_bearer, usage, valid_from, valid_until, product_codes, billing_modes, scenarios, min_spend,
                       max_duration_months, allow_promotional, rules)
  SELECT $1, a.id, t.partner_id, t.id, $3, t.currency, t.face_value, t.face_value, 'unused',
         t.cost_bearer, t.usage,
         coalesce(t.valid_from, date_trunc('milliseconds', now())),
         coalesce(t.valid_until, date_trunc('milliseconds', now()) + make_interval(hours => 24 * t.valid_days)),
         t.product_codes, t.billing_modes, t.scenarios, t.min_spend, t.max_duration_months, t.allow_promotional,
         jsonb_build_object('templateName', t.name, 'description', t.description, 'issueLimit', t.issue_limit,
                            'validity', jsonb_build_object('kind', t.validity_kind, 'days', t.valid_days))
    FROM (SELECT id FROM accounts WHERE tenant_id = $1 AND partner_id = $1 ORDER BY id LIMIT $4) a CROSS JOIN t
  RETURNING id, account_id, face_value
)
INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after)
SELECT $1, id, account_id, 'issue', face_value, face_value FROM ins`;

async function baselineInsert(ds: DataSource, f: Fixture, n: number): Promise<{ requestId: string; ms: number }> {
  const requestId = await createRequest(ds, f, n, 'issued', false);
  const t0 = performance.now();
  await ds.query(BASELINE_SQL, [f.tenantId, f.templateId, requestId, n]);
  return { requestId, ms: performance.now() - t0 };
}

/** Exactly n coupons and n `issue` ledger rows for the request, and the request settled as `issued`. */
async function verify(ds: DataSource, f: Fixture, requestId: string, n: number, expectStatus: string): Promise<string[]> {
  const [row]: { coupons: number; ledger: number; status: string; issued_count: number }[] = await ds.query(
    `SELECT (SELECT count(*)::int FROM coupons WHERE tenant_id = $1 AND request_id = $2) AS coupons,
            (SELECT count(*)::int FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
              WHERE l.tenant_id = $1 AND c.request_id = $2 AND l.type = 'issue') AS ledger,
            r.status, r.issued_count
       FROM issuance_requests r WHERE r.tenant_id = $1 AND r.id = $2`,
    [f.tenantId, requestId],
  );
  const problems: string[] = [];
  if (!row) return [`request ${requestId} not found`];
  if (row.coupons !== n) problems.push(`${row.coupons} coupons, expected ${n}`);
  if (row.ledger !== n) problems.push(`${row.ledger} issue ledger rows, expected ${n}`);
  if (row.status !== expectStatus) problems.push(`request status ${row.status}, expected ${expectStatus}`);
  if (row.issued_count !== n) problems.push(`issued_count ${row.issued_count}, expected ${n}`);
  return problems;
}

async function main(): Promise<number> {
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  // The handler reads ISSUANCE_CHUNK through the process-wide config(); both see the same environment.
  const cfg = loadConfig({ ...process.env, QUEUE_PREFIX: prefix });
  const log = pino({ level: process.env.LOG_LEVEL ?? 'error' }, pino.destination(2));
  progress(`chunk ${cfg.ISSUANCE_CHUNK}, accounts ${ACCOUNTS}, warm-up ${WARMUP_ACCOUNTS}, queue prefix ${prefix}`);

  const ds = await createDataSource(cfg.DATABASE_URL, cfg.DB_POOL_SIZE).initialize();
  let runtime: WorkerRuntime | undefined;
  let events: QueueEvents | undefined;
  try {
    // A clean schema every run, from the migrations (as the test harness does).
    await ds.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await ds.runMigrations({ transaction: 'each' });
    progress('schema migrated');

    const f = await buildFixture(ds, ACCOUNTS);
    progress(`fixture: tenant ${f.tenantId}, ${ACCOUNTS} accounts`);

    events = new QueueEvents(JOBS['issuance.issue'].queue, { connection: { url: cfg.REDIS_URL }, prefix });
    await events.waitUntilReady();
    runtime = await startWorkers(ds, cfg, handlers, log);
    progress('workers started');

    // Warm-up: both paths once on a smaller set (JIT, plans, caches, connections).
    const wi = await issueThroughWorkers(ds, events, runtime.workers, f, WARMUP_ACCOUNTS);
    const wb = await baselineInsert(ds, f, WARMUP_ACCOUNTS);
    const warmProblems = [
      ...(await verify(ds, f, wi.requestId, WARMUP_ACCOUNTS, 'issued')),
      ...(await verify(ds, f, wb.requestId, WARMUP_ACCOUNTS, 'issued')),
    ];
    if (warmProblems.length) throw new Error(`warm-up: ${warmProblems.join('; ')}`);
    progress(`warm-up (${WARMUP_ACCOUNTS}): issuance ${round1(wi.ms)} ms, baseline ${round1(wb.ms)} ms`);
    await ds.query('ANALYZE');

    // Measured runs.
    const issued = await issueThroughWorkers(ds, events, runtime.workers, f, ACCOUNTS);
    progress(`issuance (${ACCOUNTS}): ${round1(issued.ms)} ms`);
    const base = await baselineInsert(ds, f, ACCOUNTS);
    progress(`baseline (${ACCOUNTS}): ${round1(base.ms)} ms`);

    const problems = [
      ...(await verify(ds, f, issued.requestId, ACCOUNTS, 'issued')).map((p) => `issuance: ${p}`),
      ...(await verify(ds, f, base.requestId, ACCOUNTS, 'issued')).map((p) => `baseline: ${p}`),
    ];
    if (problems.length) {
      for (const p of problems) progress(`FAIL ${p}`);
      return 1;
    }
    progress('verified: every coupon and issue ledger row present, request issued');

    const ms = Math.round(issued.ms);
    const baselineMs = Math.round(base.ms);
    const ratio = Math.round((issued.ms / base.ms) * 100) / 100;
    progress(`target: ratio <= 3 (${ratio <= 3 ? 'met' : 'MISSED'}), ms <= 2000 (${ms <= 2000 ? 'met' : 'MISSED'})`);
    result = JSON.stringify({ bench: 'issuance', accounts: ACCOUNTS, ms, baseline_ms: baselineMs, ratio });
    return 0;
  } finally {
    // After a failure a job may still be running (a slow chunk): Worker.close() waits for it, so the
    // shutdown gets a bounded time and the process exits 1 rather than hanging.
    setTimeout(() => {
      progress(`FAIL shutdown did not finish within ${CLOSE_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, CLOSE_TIMEOUT_MS).unref();
    if (runtime) {
      await runtime.close();
      // The workers were given their own ioredis clients, which Worker.close() leaves open (shared).
      for (const w of runtime.workers) {
        const conn = w.opts.connection as { disconnect?: () => void } | undefined;
        conn?.disconnect?.();
      }
    }
    await events?.close();
    await ds.destroy();
  }
}

main().then(
  (code) => {
    if (code === 0 && result) process.stdout.write(`${result}\n`);
    process.exitCode = code;
  },
  (err: unknown) => {
    progress(`FAIL ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
