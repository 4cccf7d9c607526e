/**
 * The floor of bench/checkout.ts: a bare express + pg server doing the same statements for a quote
 * and a payment as the API, and nothing else: no authentication (the account is the body's
 * `accountId`), no validation, no logging, no authorization. A quote is the checkout snapshot
 * statement; a payment is that statement and the one write statement of src/orders/pay.ts, with
 * the first coupon that applies in the simplest sense (prepaid, the scenario, in-scope amount).
 * Not an API: it exists to be measured against, in the same run, by bench/checkout.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import express from 'express';
import { Pool } from 'pg';
import { checkoutSnapshotSql } from '../src/orders/checkout-context';
import { WRITE_SQL } from '../src/orders/pay';
import { first } from '../src/db/rows';

interface Item {
  productCode: string;
  amount: string;
  durationMonths?: number;
}

interface Body {
  accountId: string;
  currency: string;
  scenario: string;
  items: Item[];
}

interface SnapshotRow {
  acct_tenant: string;
  acct_id: string;
  acct_partner: string;
  id: string | null;
  balance: string;
  billing_modes: string[];
  scenarios: string[];
  product_codes: string[];
}

const SNAPSHOT_SQL = checkoutSnapshotSql('TRUE', false);
const name = (text: string) => `f${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
const SNAPSHOT = name(SNAPSHOT_SQL);
const WRITE = name(WRITE_SQL);
/** orders.created_by has no foreign key: the floor's orders name a user that does not exist. */
const NOBODY = randomUUID();

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE || 10), application_name: process.env.SERVICE_NAME });

async function snapshot(body: Body) {
  const codes = [...new Set(body.items.map((i) => i.productCode))];
  const { rows } = await pool.query<SnapshotRow>({ name: SNAPSHOT, text: SNAPSHOT_SQL, values: [body.accountId, codes, null, true] });
  const total = body.items.reduce((sum, i) => sum + BigInt(i.amount), 0n);
  for (const c of rows) {
    if (c.id === null || !c.billing_modes.includes('prepaid') || !c.scenarios.includes(body.scenario)) continue;
    const inScope = c.product_codes.length ? body.items.filter((i) => c.product_codes.includes(i.productCode)).reduce((sum, i) => sum + BigInt(i.amount), 0n) : total;
    const balance = BigInt(c.balance);
    const deduction = inScope < balance ? inScope : balance;
    if (deduction > 0n) return { account: first(rows, 'the account'), total, coupon: { id: c.id, balance, deduction } };
  }
  return { account: first(rows, 'the account'), total, coupon: null };
}

const app = express();
app.use(express.json());
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});
app.post('/v1/checkout/quote', async (req, res) => {
  const { total, coupon } = await snapshot(req.body as Body);
  res.json({ total: total.toString(), applicable: coupon ? [{ couponId: coupon.id, deduction: coupon.deduction.toString() }] : [] });
});
app.post('/v1/orders', async (req, res) => {
  const body = req.body as Body;
  const key = String(req.headers['idempotency-key']);
  const { account, total, coupon } = await snapshot(body);
  const deduction = coupon?.deduction ?? 0n;
  const id = randomUUID();
  const { rows } = await pool.query<{ created_at: Date }>({
    name: WRITE,
    text: WRITE_SQL,
    values: [
      account.acct_tenant, id, account.acct_id, account.acct_partner, body.currency, body.scenario, false, false,
      total.toString(), coupon?.id ?? null, deduction.toString(), (total - deduction).toString(), key, key, NOBODY,
      body.items.map((_, i) => i + 1), body.items.map((i) => i.productCode), body.items.map((i) => i.amount),
      body.items.map((i) => i.durationMonths ?? null), coupon !== null && deduction < coupon.balance,
    ],
  });
  res.status(201).json({
    id, accountId: account.acct_id, total: total.toString(), couponId: coupon?.id ?? null, couponDeduction: deduction.toString(),
    cash: (total - deduction).toString(), createdAt: first(rows, 'the order written').created_at,
  });
});

const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.close(() => void pool.end());
  server.closeAllConnections();
});
