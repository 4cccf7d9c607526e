/**
 * Benchmark: prepaid checkout under concurrent load. `clients` HTTP clients each loop "quote, then
 * pay with coupon `best` under a fresh Idempotency-Key" against the real API (src/server.ts run as
 * its own process, as in production: the load generator does not share its event loop), for a fixed
 * time after a warm-up. In the same run, on the same data and not at the same time, the same load
 * runs against the floor (bench/checkout-floor.ts: bare express + pg, the same statements, no
 * authentication, validation or logging), and pgbench's built-in TPC-B-like script runs with the
 * same client count as a second yardstick. The measured time of the floor and of the API is cut
 * into slices that alternate (floor, API, API, floor, ...): on a machine shared with other work, a
 * change in that work then weighs on both alike, not on whichever ran second.
 *
 *   npm run bench:checkout                    (scripts/bench.sh provisions PostgreSQL + Redis)
 *   npm run bench:checkout -- --clients 16 --seconds 30 --warmup 5
 *
 * An order counts when POST /v1/orders answers 201; its latency is quote + pay, as the client sees it.
 * The floor and the API each get their own tenant; each client cycles over its own slice of the
 * accounts (one account_finance user and token per account; three reusable coupons per account,
 * two of which apply), so clients do not queue on each other's coupon row locks. Any other answer
 * stops the run and fails it. After the warm-ups the order tables are analyzed, as autovacuum
 * would have done on a live system, so no foreign-key check goes on planning orders as empty.
 *
 * Progress goes to stderr; the last line on stdout is one JSON object:
 *   {"bench":"checkout","clients":8,"orders_per_s":...,"p50_ms":...,"p99_ms":...,"api_cpu_ms":...,"pg_cpu_ms":...,
 *    "floor_orders_per_s":...,"floor_api_cpu_ms":...,"floor_pg_cpu_ms":...,"ratio_to_floor":...,"pgbench_tps":...,"ratio":...}
 * with ratio_to_floor = orders_per_s / floor_orders_per_s (target: >= 0.7), *_cpu_ms the CPU per
 * order of the server process and of its own PostgreSQL backends, ratio = orders_per_s / pgbench_tps.
 * Exits 1 when a request fails or
 * the rows written are not what they must be (every order: total = deduction + cash = sum of its
 * items, one ledger debit of the deduction; every coupon's balance = the sum of its ledger).
 *
 * Settings: flags win over the environment.
 *   --clients / BENCH_CLIENTS (8), --seconds / BENCH_SECONDS (20), --warmup / BENCH_WARMUP_SECONDS (3),
 *   --accounts / BENCH_ACCOUNTS (2000), --slices / BENCH_SLICES (6: slices of seconds / slices each, per server),
 *   BENCH_PGBENCH_SCALE (max(10, clients)),
 *   BENCH_API_LOG_LEVEL (info, the API's default; its log goes to a temporary file),
 *   BENCH_API_NODE_ARGS (extra node flags for the API process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`),
 *   DB_POOL_SIZE and the API's other variables are passed on to the API process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { hashToken, newTokenSecret, tokenPrefix } from '../src/auth/tokens/token-secret';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { first, nth } from '../src/db/rows';

const ROOT = path.resolve(__dirname, '..');
const PGBENCH_DB = 'pgbench_bench';
const FACE_VALUE = 1_000_000_000_000n; // minor units: no coupon runs out during a run
const API_READY_TIMEOUT_MS = 30_000;
const API_STOP_TIMEOUT_MS = 15_000;

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

// ---------------------------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------------------------

interface Settings {
  clients: number;
  seconds: number;
  warmup: number;
  accounts: number;
  slices: number;
  pgbenchScale: number;
  apiLogLevel: string;
}

function intSetting(flag: string | undefined, envName: string, fallback: number, min: number, max: number, label: string): number {
  const raw = flag ?? process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${label} (or ${envName}) must be an integer in ${min}..${max} (got '${raw}')`);
  return n;
}

function readSettings(): Settings {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      clients: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      accounts: { type: 'string' },
      slices: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const clients = intSetting(values.clients, 'BENCH_CLIENTS', 8, 1, 256, '--clients');
  const seconds = intSetting(values.seconds, 'BENCH_SECONDS', 20, 1, 3600, '--seconds');
  const warmup = intSetting(values.warmup, 'BENCH_WARMUP_SECONDS', 3, 0, 600, '--warmup');
  const accounts = intSetting(values.accounts, 'BENCH_ACCOUNTS', 2000, 1, 10_000, '--accounts');
  if (accounts < clients) throw new Error(`--accounts (${accounts}) must be at least --clients (${clients}): each client has its own accounts`);
  const slices = intSetting(values.slices, 'BENCH_SLICES', 6, 1, 100, '--slices');
  const pgbenchScale = intSetting(undefined, 'BENCH_PGBENCH_SCALE', Math.max(10, clients), 1, 1000, 'BENCH_PGBENCH_SCALE');
  const apiLogLevel = process.env.BENCH_API_LOG_LEVEL || 'info';
  return { clients, seconds, warmup, accounts, slices, pgbenchScale, apiLogLevel };
}

// ---------------------------------------------------------------------------------------------
// fixture: one distributor, `n` accounts, one account_finance user + token and three coupons each
// ---------------------------------------------------------------------------------------------

interface Payer {
  accountId: string;
  token: string;
}

interface Fixture {
  tenantId: string;
  payers: Payer[];
}

/** The coupon kinds every account gets; the first two apply to the benchmark's orders, the third does not (payg only). */
const COUPON_KINDS = [
  { name: 'bench-general', productCodes: [], billingModes: ['prepaid', 'payg'], scenarios: ['purchase', 'renewal'], days: 365 },
  { name: 'bench-cvm', productCodes: ['cvm'], billingModes: ['prepaid'], scenarios: ['purchase'], days: 180 },
  { name: 'bench-payg', productCodes: [], billingModes: ['payg'], scenarios: [], days: 90 },
];

async function buildFixture(ds: DataSource, n: number): Promise<Fixture> {
  const tenantId = randomUUID();
  const adminId = randomUUID();
  const tag = tenantId.slice(0, 8);
  const accountIds = Array.from({ length: n }, () => randomUUID());
  const userIds = Array.from({ length: n }, () => randomUUID());
  const tokens = Array.from({ length: n }, () => newTokenSecret());
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO products (code, name, category) VALUES ('cvm', 'Cloud Virtual Machine', 'compute'), ('mysql', 'Managed MySQL', 'database')
       ON CONFLICT (code) DO NOTHING`,
    );
    await em.query(`INSERT INTO partners (tenant_id, id, tier, name) VALUES ($1, $1, 1, 'bench-distributor')`, [tenantId]);
    await em.query(
      `INSERT INTO users (id, email, name, role, tenant_id, partner_id) VALUES ($1, $2, 'bench admin', 'partner_admin', $3, $3)`,
      [adminId, `bench-admin-${tag}@bench.example`, tenantId],
    );
    await em.query(
      `INSERT INTO accounts (tenant_id, id, partner_id, kind, name)
       SELECT $1, x.a, $1, 'customer', 'bench-' || x.n FROM unnest($2::uuid[]) WITH ORDINALITY AS x(a, n)`,
      [tenantId, accountIds],
    );
    await em.query(
      `INSERT INTO users (id, email, name, role, tenant_id, partner_id, account_id)
       SELECT x.u, 'bench-fin-' || x.n || '-' || $2 || '@bench.example', 'bench finance ' || x.n, 'account_finance', $1, $1, x.a
         FROM unnest($3::uuid[], $4::uuid[]) WITH ORDINALITY AS x(u, a, n)`,
      [tenantId, tag, userIds, accountIds],
    );
    await em.query(
      `INSERT INTO api_tokens (user_id, tenant_id, partner_id, account_id, name, token_hash, prefix)
       SELECT x.u, $1, $1, x.a, 'bench', decode(x.h, 'hex'), x.p FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS x(u, a, h, p)`,
      [tenantId, userIds, accountIds, tokens.map((t) => hashToken(t).toString('hex')), tokens.map(tokenPrefix)],
    );
    for (const kind of COUPON_KINDS) {
      const templateId = randomUUID();
      const requestId = randomUUID();
      await em.query(
        `INSERT INTO coupon_templates (tenant_id, id, partner_id, name, currency, face_value, cost_bearer, issue_limit, validity_kind,
                                       valid_days, usage, product_codes, billing_modes, scenarios, created_by, locked_at)
         VALUES ($1, $2, $1, $3, 'USD', $4, 'partner', 'unlimited', 'relative', $5, 'reusable', $6, $7, $8, $9, now())`,
        [tenantId, templateId, kind.name, FACE_VALUE.toString(), kind.days, kind.productCodes, kind.billingModes, kind.scenarios, adminId],
      );
      await em.query(
        `INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts,
                                        total_face_value, status, submitted_by, issued_count)
         VALUES ($1, $2, $1, $3, 'partner', 'USD', $4::bigint, $5::int, $4::bigint * $5::int, 'issued', $6, $5::int)`,
        [tenantId, requestId, templateId, FACE_VALUE.toString(), n, adminId],
      );
      await em.query(
        `INSERT INTO coupons (tenant_id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status, cost_bearer,
                              usage, valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
         SELECT $1, a.id, $1, $2, $3, 'USD', $4, $4, 'unused', 'partner', 'reusable', now() - interval '1 day',
                now() + make_interval(days => $5), $6, $7, $8, false, jsonb_build_object('templateName', $9::text)
           FROM accounts a WHERE a.tenant_id = $1`,
        [tenantId, templateId, requestId, FACE_VALUE.toString(), kind.days, kind.productCodes, kind.billingModes, kind.scenarios, kind.name],
      );
      await em.query(
        `INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after)
         SELECT tenant_id, id, account_id, 'issue', face_value, face_value FROM coupons WHERE tenant_id = $1 AND request_id = $2`,
        [tenantId, requestId],
      );
    }
  });
  await ds.query('ANALYZE');
  return { tenantId, payers: accountIds.map((accountId, i) => ({ accountId, token: nth(tokens, i) })) };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux; everything reads 0 elsewhere)
// ---------------------------------------------------------------------------------------------

const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isInteger(n) && n > 0 ? n : 100;
})();

/** utime+stime and cutime+cstime of a process, in ticks; null when it is gone. */
function procTicks(pid: number): { own: number; children: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

function systemBusyTicks(): number {
  try {
    const line = first(readFileSync('/proc/stat', 'utf8').split('\n'));
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
    return v.reduce((a, b) => a + b, 0) - nth(v, 3) - nth(v, 4);
  } catch {
    return 0;
  }
}

/** Every process of our PostgreSQL cluster (live ones, plus what the postmaster reaped). */
function postgresTicks(): number {
  const data = process.env.COUPONS_PG_DATA;
  if (!data || !existsSync(data)) return 0;
  let dataReal: string;
  let postmaster: number;
  try {
    dataReal = realpathSync(data);
    postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (readlinkSync(`/proc/${entry}/cwd`) !== dataReal) continue;
    } catch {
      continue;
    }
    const t = procTicks(Number(entry));
    if (!t) continue;
    total += t.own + (Number(entry) === postmaster ? t.children : 0);
  }
  return total;
}

interface CpuSample {
  at: number;
  system: number;
  postgres: number;
  bench: number; // this process and its reaped children (pgbench)
  api: number;
}

function sampleCpu(apiPid?: number): CpuSample {
  const self = procTicks(process.pid);
  const api = apiPid === undefined ? null : procTicks(apiPid);
  return {
    at: performance.now(),
    system: systemBusyTicks(),
    postgres: postgresTicks(),
    bench: self ? self.own + self.children : 0,
    api: api ? api.own : 0,
  };
}

/**
 * CPU ticks of one server's own PostgreSQL backends (by application_name), per pid: unlike the whole
 * cluster's, not inflated by other databases on a shared cluster.
 */
async function backendTicks(ds: DataSource, which: Which): Promise<Map<number, number>> {
  const rows: { pid: number }[] = await ds.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [SERVERS[which].name]);
  return new Map(rows.map((r) => [r.pid, procTicks(r.pid)?.own ?? 0]));
}

function backendMs(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return (ticks / CLK_TCK) * 1000;
}

/** "cores busy" per part over the interval, as one line. */
function cpuReport(a: CpuSample, b: CpuSample, withApi: boolean): string {
  const secs = (b.at - a.at) / 1000;
  const cores = (ticks: number) => String(Math.round((ticks / CLK_TCK / secs) * 100) / 100);
  const parts = [`system ${cores(b.system - a.system)}`, `postgres ${cores(b.postgres - a.postgres)}`];
  if (withApi) parts.push(`api ${cores(b.api - a.api)}`);
  parts.push(`bench${withApi ? ' (load generator)' : ' (+pgbench)'} ${cores(b.bench - a.bench)}`);
  const other = b.system - a.system - (b.postgres - a.postgres) - (b.bench - a.bench) - (withApi ? b.api - a.api : 0);
  parts.push(`other ${cores(Math.max(0, other))}`);
  return `cpu, cores busy of ${os.cpus().length}: ${parts.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// pgbench
// ---------------------------------------------------------------------------------------------

interface PgConn {
  host: string;
  port: string;
  user: string;
  password: string;
}

/**
 * Where pgbench connects: where the API does. A Unix socket directory (`?host=/dir` or a
 * percent-encoded host, as node-postgres reads them) is passed on as such, so pgbench never gets
 * another transport than the API (a socket is cheaper than TCP loopback).
 */
function pgConn(databaseUrl: string): PgConn {
  const u = new URL(databaseUrl);
  return {
    host: u.searchParams.get('host') || decodeURIComponent(u.hostname) || '127.0.0.1',
    port: u.searchParams.get('port') || u.port || '5432',
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password),
  };
}

function pgbenchBin(): string {
  const dir = process.env.COUPONS_PG_BIN_DIR;
  if (dir && existsSync(path.join(dir, 'pgbench'))) return path.join(dir, 'pgbench');
  return 'pgbench';
}

/** Runs pgbench; its whole output, or an error carrying it. */
function runPgbench(conn: PgConn, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(conn.password ? { PGPASSWORD: conn.password } : {}) };
    const child = spawn(pgbenchBin(), ['-h', conn.host, '-p', conn.port, '-U', conn.user, ...args, PGBENCH_DB], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', (err) => reject(new Error(`pgbench could not start (${pgbenchBin()}): ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`pgbench ${args.join(' ')} exited with ${code ?? signal}:\n${out.slice(-2000)}`));
    });
  });
}

/** The tps without connection set-up ("without initial connection time" since PostgreSQL 14, "excluding connections establishing" before). */
function parseTps(out: string): number {
  const lines = out.split('\n').filter((l) => /^tps = /.test(l.trim()));
  const line = lines.find((l) => !/including/.test(l)) ?? lines[0];
  const m = line && /tps = ([0-9.]+)/.exec(line);
  if (!m) throw new Error(`no "tps = " line in the pgbench output:\n${out.slice(-2000)}`);
  return Number(m[1]);
}

async function measurePgbench(ds: DataSource, conn: PgConn, s: Settings): Promise<number> {
  await ds.query(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
  await ds.query(`CREATE DATABASE ${PGBENCH_DB}`);
  const t0 = performance.now();
  await runPgbench(conn, ['-i', '-q', '-s', String(s.pgbenchScale)]);
  progress(`pgbench: initialized scale ${s.pgbenchScale} in ${Math.round(performance.now() - t0)} ms`);
  const threads = String(Math.min(2, s.clients));
  if (s.warmup > 0) await runPgbench(conn, ['-c', String(s.clients), '-j', threads, '-T', String(s.warmup)]);
  await ds.query('CHECKPOINT');
  const before = sampleCpu();
  const out = await runPgbench(conn, ['-c', String(s.clients), '-j', threads, '-T', String(s.seconds)]);
  // pgbench's backends exit after it does: let the postmaster reap them so their CPU is counted.
  const ended = performance.now();
  await new Promise((r) => setTimeout(r, 500));
  const after = { ...sampleCpu(), at: ended };
  const tps = parseTps(out);
  const lat = /latency average = ([0-9.]+) ms/.exec(out);
  progress(`pgbench: ${s.clients} clients, ${s.seconds} s: tps ${round1(tps)}${lat ? `, latency average ${lat[1]} ms` : ''}`);
  progress(`pgbench ${cpuReport(before, after, false)}`);
  return tps;
}

// ---------------------------------------------------------------------------------------------
// the API process
// ---------------------------------------------------------------------------------------------

interface Api {
  child: ChildProcess;
  port: number;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-3000);
  } catch {
    return '(no log)';
  }
}

/** The two servers measured: the API as in production, and the floor (bench/checkout-floor.ts). */
type Which = 'api' | 'floor';
const SERVERS: Record<Which, { script: string; name: string }> = {
  api: { script: 'src/server.ts', name: 'bench-checkout-api' },
  floor: { script: 'bench/checkout-floor.ts', name: 'bench-checkout-floor' },
};

async function startServer(s: Settings, which: Which): Promise<Api> {
  const port = await freePort();
  const { script, name } = SERVERS[which];
  const logFile = path.join(os.tmpdir(), `${name}-${process.pid}.log`);
  const fd = openSync(logFile, 'w');
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: s.apiLogLevel, SERVICE_NAME: name },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + API_READY_TIMEOUT_MS;
  for (;;) {
    if (gone) throw new Error(`the ${which} server exited before it was ready:\n${logTail(logFile)}`);
    const status = await new Promise<number>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`the ${which} server was not ready within ${API_READY_TIMEOUT_MS} ms:\n${logTail(logFile)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, logFile, exited };
}

async function stopApi(api: Api): Promise<void> {
  if (api.child.exitCode !== null || api.child.signalCode !== null) return;
  api.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    progress(`the server did not stop within ${API_STOP_TIMEOUT_MS} ms of SIGTERM; killing it`);
    api.child.kill('SIGKILL');
  }, API_STOP_TIMEOUT_MS);
  const { code, signal } = await api.exited;
  clearTimeout(timer);
  if (code !== 0) progress(`the server exited with ${code ?? signal}`);
}

// ---------------------------------------------------------------------------------------------
// load
// ---------------------------------------------------------------------------------------------

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

function post(agent: http.Agent, port: number, urlPath: string, token: string, body: unknown, extra: Record<string, string> = {}): Promise<Reply> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...extra,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            /* keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface PhaseResult {
  orders: number;
  elapsedMs: number;
  latencies: number[];
  notFirstQuoted: number;
  failures: string[];
}

function orderBody(accountId: string) {
  return {
    accountId,
    currency: 'USD',
    scenario: 'purchase',
    items: [
      { productCode: 'cvm', amount: String(randomInt(1_000, 50_000)), durationMonths: randomInt(1, 13) },
      { productCode: 'mysql', amount: String(randomInt(1_000, 50_000)) },
    ],
  };
}

/** `clients` loops of quote + pay until `ms` have passed (an order in flight then is finished and counted). */
async function runLoad(api: Api, agent: http.Agent, payers: Payer[], clients: number, ms: number): Promise<PhaseResult> {
  const r: PhaseResult = { orders: 0, elapsedMs: 0, latencies: [], notFirstQuoted: 0, failures: [] };
  let stop = false;
  const fail = (what: string) => {
    r.failures.push(what);
    stop = true;
  };
  const client = async (i: number) => {
    const mine = payers.filter((_, k) => k % clients === i);
    for (let k = 0; !stop; k++) {
      const payer = nth(mine, k % mine.length, 'payer');
      const body = orderBody(payer.accountId);
      const t0 = performance.now();
      const q = await post(agent, api.port, '/v1/checkout/quote', payer.token, body);
      if (q.status !== 200) return fail(`quote answered ${q.status}: ${JSON.stringify(q.body).slice(0, 500)}`);
      const first: string | undefined = q.body.applicable?.[0]?.couponId;
      if (!first) return fail(`the quote found no applicable coupon: ${JSON.stringify(q.body).slice(0, 500)}`);
      const p = await post(agent, api.port, '/v1/orders', payer.token, { ...body, coupon: 'best' }, { 'idempotency-key': randomUUID() });
      const latency = performance.now() - t0;
      if (p.status !== 201) return fail(`pay answered ${p.status}: ${JSON.stringify(p.body).slice(0, 500)}`);
      const o = p.body as { total: string; couponId: string | null; couponDeduction: string; cash: string };
      const total = body.items.reduce((sum, it) => sum + BigInt(it.amount), 0n);
      if (BigInt(o.total) !== total || BigInt(o.couponDeduction) + BigInt(o.cash) !== total || o.couponId === null || BigInt(o.couponDeduction) <= 0n) {
        return fail(`order ${JSON.stringify(o)} does not add up for the items ${JSON.stringify(body.items)}`);
      }
      if (o.couponId !== first) r.notFirstQuoted++;
      r.orders++;
      r.latencies.push(latency);
    }
  };
  const t0 = performance.now();
  const timer = setTimeout(() => (stop = true), ms);
  const settled = await Promise.allSettled(Array.from({ length: clients }, (_, i) => client(i)));
  clearTimeout(timer);
  r.elapsedMs = performance.now() - t0;
  for (const s of settled) if (s.status === 'rejected') r.failures.push(`client error: ${s.reason instanceof Error ? s.reason.message : String(s.reason)}`);
  return r;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!; // clamped into a non-empty list
}

// ---------------------------------------------------------------------------------------------
// verification
// ---------------------------------------------------------------------------------------------

async function verify(ds: DataSource, which: Which, tenantId: string, expectedOrders: number): Promise<string[]> {
  const rows: Record<string, number>[] = await ds.query(
    `SELECT
       (SELECT count(*)::int FROM orders WHERE tenant_id = $1) AS orders,
       (SELECT count(*)::int FROM orders WHERE tenant_id = $1 AND total <> coupon_deduction + cash) AS unbalanced,
       (SELECT count(*)::int FROM orders WHERE tenant_id = $1 AND (coupon_id IS NULL OR coupon_deduction = 0)) AS without_coupon,
       (SELECT count(*)::int FROM orders o WHERE o.tenant_id = $1
           AND o.total IS DISTINCT FROM (SELECT sum(i.amount) FROM order_items i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id)) AS items_mismatch,
       (SELECT count(*)::int FROM orders o WHERE o.tenant_id = $1 AND o.coupon_id IS NOT NULL
           AND (SELECT count(*) FROM coupon_ledger l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id
                   AND l.coupon_id = o.coupon_id AND l.type = 'deduct' AND l.amount = -o.coupon_deduction) <> 1) AS debit_mismatch,
       (SELECT count(*)::int FROM (
           SELECT c.id FROM coupons c LEFT JOIN coupon_ledger l ON l.tenant_id = c.tenant_id AND l.coupon_id = c.id
            WHERE c.tenant_id = $1 GROUP BY c.id, c.balance HAVING c.balance <> coalesce(sum(l.amount), 0)) x) AS ledger_mismatch,
       (SELECT count(DISTINCT coupon_id)::int FROM orders WHERE tenant_id = $1) AS touched_coupons`,
    [tenantId],
  );
  const row = first(rows, 'verification'); // a SELECT of scalar subqueries: one row
  const problems: string[] = [];
  if (row.orders !== expectedOrders) problems.push(`${row.orders} orders in the database, ${expectedOrders} answered 201`);
  if (row.unbalanced) problems.push(`${row.unbalanced} orders where total <> coupon_deduction + cash`);
  if (row.without_coupon) problems.push(`${row.without_coupon} orders paid without a coupon deduction`);
  if (row.items_mismatch) problems.push(`${row.items_mismatch} orders whose total is not the sum of their items`);
  if (row.debit_mismatch) problems.push(`${row.debit_mismatch} orders without exactly one ledger debit of their deduction`);
  if (row.ledger_mismatch) problems.push(`${row.ledger_mismatch} coupons whose balance is not the sum of their ledger`);
  if (!problems.length) progress(`${which}: verified: ${row.orders} orders add up, ${row.touched_coupons} coupons touched, every coupon's balance = its ledger`);
  return problems;
}

// ---------------------------------------------------------------------------------------------

/** The JSON result line, printed once everything is closed so it is the last line on stdout. */
let result: string | undefined;

async function main(): Promise<number> {
  const s = readSettings();
  const cfg = loadConfig(process.env);
  const conn = pgConn(cfg.DATABASE_URL);
  progress(
    `clients ${s.clients}, ${s.seconds} s in ${s.slices} alternating slices after a ${s.warmup} s warm-up each, ${s.accounts} accounts, pgbench scale ${s.pgbenchScale}, ` +
      `PostgreSQL at ${conn.host}:${conn.port} (API and pgbench), API log level ${s.apiLogLevel}, API pool ${process.env.DB_POOL_SIZE ?? cfg.DB_POOL_SIZE}, ${os.cpus().length} cores`,
  );

  const ds = await createDataSource(cfg.DATABASE_URL, 4).initialize();
  const agent = new http.Agent({ keepAlive: true, maxSockets: s.clients });
  let pgbenchCreated = false;
  try {
    // A clean schema every run, from the migrations (as the test harness does).
    await ds.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await ds.runMigrations({ transaction: 'each' });
    progress('schema migrated');
    const fixtures = { floor: await buildFixture(ds, s.accounts), api: await buildFixture(ds, s.accounts) };
    progress(`fixtures: two tenants (floor, API) of ${s.accounts} accounts, ${s.accounts * COUPON_KINDS.length} coupons and ${s.accounts} tokens each`);

    // The yardstick first, while nothing else runs: pgbench's TPC-B-like script, same client count.
    pgbenchCreated = true;
    const tps = await measurePgbench(ds, conn, s);
    await ds.query(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
    pgbenchCreated = false;

    // The floor and the API on the same data, in alternating slices: same statements, same load.
    const measured = await measureBoth(ds, agent, s, fixtures);
    if (!measured) return 1;
    const { floor, api } = measured;

    const ratio = api.ordersPerS / tps;
    const toFloor = api.ordersPerS / floor.ordersPerS;
    progress(`target: ratio_to_floor >= 0.7 (${toFloor >= 0.7 ? 'met' : 'MISSED'}): ${round1(api.ordersPerS)} orders/s against the floor's ${round1(floor.ordersPerS)}`);
    result = JSON.stringify({
      bench: 'checkout',
      clients: s.clients,
      orders_per_s: round1(api.ordersPerS),
      p50_ms: round1(api.p50),
      p99_ms: round1(api.p99),
      api_cpu_ms: round2(api.serverCpuMs),
      pg_cpu_ms: round2(api.pgCpuMs),
      floor_orders_per_s: round1(floor.ordersPerS),
      floor_api_cpu_ms: round2(floor.serverCpuMs),
      floor_pg_cpu_ms: round2(floor.pgCpuMs),
      ratio_to_floor: Math.round(toFloor * 1000) / 1000,
      pgbench_tps: round1(tps),
      ratio: Math.round(ratio * 1000) / 1000,
    });
    return 0;
  } finally {
    agent.destroy();
    if (pgbenchCreated) await ds.query(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`).catch(() => undefined);
    await ds.destroy();
  }
}

interface Measured {
  ordersPerS: number;
  p50: number;
  p99: number;
  /** CPU per order, ms: the server process, and its PostgreSQL backends. */
  serverCpuMs: number;
  pgCpuMs: number;
}

/** What one server's measured slices add up to. */
interface Tally {
  orders: number;
  elapsedMs: number;
  latencies: number[];
  notFirstQuoted: number;
  serverTicks: number;
  backendMs: number;
  /** The machine's CPU over the server's slices, summed (deltas; `at` is their total duration). */
  cpu: CpuSample;
}

const WHICH: Which[] = ['floor', 'api'];

/**
 * Both servers, each in its own process, warmed up in turn; then `slices` slices of the measured
 * time each, alternating floor and API (floor, API, API, floor, ...), so that a change in the rest
 * of a shared machine's load weighs on both alike instead of on whichever ran second. Their rows
 * are verified once both have stopped. Undefined (reported) when a request or a verification fails.
 */
async function measureBoth(ds: DataSource, agent: http.Agent, s: Settings, fixtures: Record<Which, Fixture>): Promise<Record<Which, Measured> | undefined> {
  await ds.query('CHECKPOINT');
  const xactBefore = await xactCommits(ds);
  const servers: Partial<Record<Which, Api>> = {};
  const expected: Record<Which, number> = { floor: 0, api: 0 };
  const failed = (which: Which, what: string, r: PhaseResult) => {
    for (const p of r.failures) progress(`FAIL ${which}${what}: ${p}`);
    return r.failures.length > 0;
  };
  try {
    for (const which of WHICH) {
      const server = await startServer(s, which);
      servers[which] = server;
      progress(`${which}: process ${server.child.pid} on 127.0.0.1:${server.port} (log: ${server.logFile})`);
    }
    if (s.warmup > 0) {
      for (const which of WHICH) {
        const w = await runLoad(servers[which]!, agent, fixtures[which].payers, s.clients, s.warmup * 1000);
        expected[which] += w.orders;
        if (failed(which, ' warm-up', w)) return undefined;
        progress(`${which} warm-up: ${w.orders} orders in ${Math.round(w.elapsedMs)} ms`);
      }
    }
    // What autovacuum would have done by now on a live system (its naptime is a minute): the
    // orders the warm-up wrote are in the statistics, so the foreign-key checks of order_items,
    // planned again on the invalidation, do not go on seq-scanning orders as if it were empty.
    await ds.query('ANALYZE orders, order_items, coupon_ledger, coupons');

    const zero = (): CpuSample => ({ at: 0, system: 0, postgres: 0, bench: 0, api: 0 });
    const tally: Record<Which, Tally> = {
      floor: { orders: 0, elapsedMs: 0, latencies: [], notFirstQuoted: 0, serverTicks: 0, backendMs: 0, cpu: zero() },
      api: { orders: 0, elapsedMs: 0, latencies: [], notFirstQuoted: 0, serverTicks: 0, backendMs: 0, cpu: zero() },
    };
    const sliceMs = (s.seconds * 1000) / s.slices;
    for (let slice = 0; slice < s.slices; slice++) {
      for (const which of slice % 2 === 0 ? WHICH : [...WHICH].reverse()) {
        const server = servers[which]!;
        const t = tally[which];
        const backendsBefore = await backendTicks(ds, which);
        const before = sampleCpu(server.child.pid);
        const m = await runLoad(server, agent, fixtures[which].payers, s.clients, sliceMs);
        const after = sampleCpu(server.child.pid);
        const backendsAfter = await backendTicks(ds, which);
        expected[which] += m.orders;
        if (failed(which, '', m)) return undefined;
        t.orders += m.orders;
        t.elapsedMs += m.elapsedMs;
        t.latencies.push(...m.latencies);
        t.notFirstQuoted += m.notFirstQuoted;
        t.serverTicks += after.api - before.api;
        t.backendMs += backendMs(backendsBefore, backendsAfter);
        for (const k of ['at', 'system', 'postgres', 'bench', 'api'] as const) t.cpu[k] += after[k] - before[k];
      }
    }

    const out = {} as Record<Which, Measured>;
    for (const which of WHICH) {
      const t = tally[which];
      const sorted = [...t.latencies].sort((a, b) => a - b);
      const ordersPerS = t.orders / (t.elapsedMs / 1000);
      const p50 = percentile(sorted, 0.5);
      const p99 = percentile(sorted, 0.99);
      progress(
        `${which}: ${t.orders} orders in ${Math.round(t.elapsedMs)} ms (${s.slices} slices) = ${round1(ordersPerS)}/s; latency p50 ${round1(p50)} ms, ` +
          `p99 ${round1(p99)} ms, max ${round1(sorted[sorted.length - 1] ?? NaN)} ms` +
          (t.notFirstQuoted ? `; ${t.notFirstQuoted} paid with another coupon than the quote's first` : ''),
      );
      progress(`${which} ${cpuReport(zero(), t.cpu, true)}`);
      const orders = Math.max(1, t.orders);
      const serverCpuMs = ((t.serverTicks / CLK_TCK) * 1000) / orders;
      const pgCpuMs = t.backendMs / orders;
      progress(`${which}: CPU per order: its process ${round2(serverCpuMs)} ms, its PostgreSQL backends ${round2(pgCpuMs)} ms`);
      out[which] = { ordersPerS, p50, p99, serverCpuMs, pgCpuMs };
    }

    // The backends report their statistics when they exit (or at most once a second while busy).
    const logs = WHICH.map((which) => servers[which]!.logFile);
    for (const which of WHICH) {
      await stopApi(servers[which]!);
      delete servers[which];
    }
    const xactAfter = await xactCommits(ds);
    const all = Math.max(1, expected.floor + expected.api);
    progress(`~${round1((xactAfter - xactBefore) / all)} committed PostgreSQL transactions per order (pg_stat_database: both servers, warm-ups included)`);

    let ok = true;
    for (const which of WHICH) {
      const problems = await verify(ds, which, fixtures[which].tenantId, expected[which]);
      for (const p of problems) progress(`FAIL ${which}: ${p}`);
      ok &&= problems.length === 0;
    }
    if (!ok) return undefined;
    for (const log of logs) rmSync(log, { force: true }); // kept when the run fails
    return out;
  } finally {
    for (const which of WHICH) {
      const server = servers[which];
      if (server) {
        progress(`${which} log: ${server.logFile}`);
        await stopApi(server);
      }
    }
  }
}

async function xactCommits(ds: DataSource): Promise<number> {
  const r = first<{ n: string }>(await ds.query(`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`), 'pg_stat_database');
  return Number(r.n);
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
