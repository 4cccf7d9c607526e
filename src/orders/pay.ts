import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { DataSource } from 'typeorm';
import type { Ctx } from '../auth/context';
import type { TokenCtx } from './token-ctx';
import { AppError } from '../shared/errors';
import { inTransaction, pgCode } from '../db/tx';
import { first } from '../db/rows';
import { inTx, pooled, type Sql } from '../db/prepared';
import { paymentTotal } from '../billing/eligibility';
import { authenticatedCheckoutContext, checkoutContext, type CheckoutContext, type CouponChoice } from './checkout-context';
import { judge } from './quote';
import { orderJson } from './order-json';
import { couponAudit, couponChange, debitable, ledgerRows, statusAfterDebit } from '../coupons/ledger.sql';
import type { OrderJson, PayBody } from './order.schema';

/**
 * R21, R26: one coupon per order, deduction = min(balance, in-scope amount), the rest in cash.
 * The order, its items, the debit, its ledger row and audit row are this one statement.
 *
 * The debit is conditional on what the deduction was computed from: the coupon is still `unused`
 * and, when its balance limited the deduction, the balance is unchanged (when the order's scope
 * limited it, any balance still covering it gives the same deduction). If another payment changed
 * the coupon in between, `app_assert` fails the statement and everything it wrote rolls back.
 * The order row comes first and the debit only happens when the order was inserted, so a replayed
 * Idempotency-Key never debits twice. (The checkout benchmark's floor server runs it too.)
 */
export const WRITE_SQL = `
WITH o AS (
  INSERT INTO orders (tenant_id, id, account_id, partner_id, currency, scenario, promotional, paid_on_behalf, total,
                      coupon_id, coupon_deduction, cash, idempotency_key, request_hash, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT (tenant_id, account_id, idempotency_key) DO NOTHING RETURNING id, created_at
), items AS (
  INSERT INTO order_items (tenant_id, order_id, line, product_code, amount, duration_months)
  SELECT $1, o.id, x.line, x.code, x.amount, x.months
    FROM o, unnest($16::int[], $17::text[], $18::bigint[], $19::int[]) AS x(line, code, amount, months)
), c AS (
  ${couponChange({
    balance: 'c.balance - $11',
    status: statusAfterDebit('c.balance - $11'),
    where: `c.tenant_id = $1 AND c.id = $10 AND $11 > 0 AND ${debitable('$11')} AND ($20::bool OR c.balance = $11) AND EXISTS (SELECT 1 FROM o)`,
    returning: 'c.id, c.account_id, c.balance, c.status',
  })}
), l AS (
  ${ledgerRows({ type: 'deduct', from: 'c', tenant: '$1', coupon: 'c.id', account: '$3', amount: '-$11', after: 'c.balance', order: '$2' })}
), a AS (
  ${couponAudit({ from: 'c', tenant: '$1', coupon: 'c.id', action: 'used', fromStatus: "'unused'", toStatus: "'used'", reason: "'order ' || $2", actorUser: '$15', where: "c.status = 'used'" })}
)
SELECT (SELECT id FROM o) AS order_id, (SELECT created_at FROM o) AS created_at,
       app_assert($10::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM o) OR EXISTS (SELECT 1 FROM c), 'coupon_changed') AS ok`;

const COUPON_CHANGED = 'CP001';

type PayInput = z.output<typeof PayBody>;
type OrderOut = z.infer<typeof OrderJson>;

function requestHash(body: PayInput, accountId: string): string {
  const canonical = JSON.stringify({ ...body, accountId, items: body.items.map((i) => ({ ...i, amount: i.amount.toString() })) });
  return createHash('sha256').update(canonical).digest('hex');
}

async function replay(em: EntityManager, tenantId: string, accountId: string, key: string, hash: string) {
  // A replay: the write found an order with this key, and orders are never deleted.
  const prior = first<{ id: string; request_hash: string }>(
    await em.query(`SELECT id, request_hash FROM orders WHERE tenant_id = $1 AND account_id = $2 AND idempotency_key = $3`, [tenantId, accountId, key]),
    'the replayed order',
  );
  if (prior.request_hash !== hash) throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used with another request', { code: 'idempotency_key_reused' });
  return orderJson(em, tenantId, prior.id);
}

/**
 * One attempt: read (locked or not), choose, write. Answers the order, or 'replay' when the key
 * was already used (the caller reads the first order back).
 */
type Replay = { replay: { hash: string; tenantId: string; accountId: string } };

/** Reads what a payment needs (checkoutContext), and answers it with the Ctx of the caller. */
type Snapshot = (sql: Sql, choice: CouponChoice) => Promise<{ ctx: Ctx; checkout: CheckoutContext }>;

const scoped = (ctx: Ctx, body: PayInput): Snapshot => async (sql, choice) => ({ ctx, checkout: await checkoutContext(ctx, sql, body, 'create', choice) });

async function attempt(snapshot: Snapshot, sql: Sql, body: PayInput, key: string, lock: boolean): Promise<OrderOut | Replay> {
  const named = body.coupon !== 'none' && body.coupon !== 'best' ? body.coupon : undefined;
  const { ctx, checkout: { account, payment, catalog, coupons } } = await snapshot(sql, {
    onlyUsable: body.coupon === 'best',
    couponId: named,
    lock: lock && body.coupon !== 'none',
  });
  const hash = requestHash(body, account.id);
  const { applicable, refused } = judge(body.coupon === 'none' ? [] : coupons, payment, catalog);
  const chosen = body.coupon === 'none' ? null : (applicable[0] ?? null);
  if (named && !chosen) {
    if (coupons.length === 0) throw new AppError('not_found', 'coupon not found');
    // A replay of a paid order must not fail because its coupon is now spent.
    const prior = await sql(`SELECT 1 FROM orders WHERE tenant_id = $1 AND account_id = $2 AND idempotency_key = $3`, [account.tenantId, account.id, key]);
    if (prior.length) return { replay: { hash, tenantId: account.tenantId, accountId: account.id } };
    const { code } = refused[0]!; // coupons is not empty and none applies: every one is refused
    throw new AppError('coupon_not_applicable', `the coupon does not apply to this order: ${code}`, { couponId: named, code });
  }
  const total = paymentTotal(payment);
  const deduction = chosen?.deduction ?? 0n;
  const id = randomUUID();
  const res = first(await sql<{ order_id: string | null; created_at: Date | null }>(WRITE_SQL, [
    account.tenantId, id, account.id, account.partnerId, payment.currency, body.scenario, body.promotional, body.paidOnBehalf,
    total.toString(), chosen?.id ?? null, deduction.toString(), (total - deduction).toString(), key, hash, ctx.actor.userId,
    body.items.map((_, i) => i + 1), body.items.map((i) => i.productCode), body.items.map((i) => i.amount.toString()),
    body.items.map((i) => i.durationMonths ?? null), chosen !== null && deduction < chosen.balance,
  ]), 'order write'); // a SELECT of scalar subqueries: one row
  if (!res.order_id || !res.created_at) return { replay: { hash, tenantId: account.tenantId, accountId: account.id } };
  return {
    id, accountId: account.id, currency: payment.currency, scenario: body.scenario, total: total.toString(),
    couponId: chosen?.id ?? null, couponDeduction: deduction.toString(), cash: (total - deduction).toString(), status: 'paid', resourceState: 'active',
    items: body.items.map((i) => ({ productCode: i.productCode, amount: i.amount.toString(), durationMonths: i.durationMonths ?? null })),
    createdAt: res.created_at.toISOString(),
  };
}

/**
 * Pays an order. First optimistically, with no transaction: one read and one write statement.
 * When a concurrent payment changed the coupon in between (or the two deadlocked on a replayed
 * key), again inside a transaction that row-locks the account's coupons in id order first, so
 * concurrent payments on one coupon queue up and none deducts more than the balance.
 * Idempotency: the key is unique per account; a replay with the same body gets the first order,
 * with another body a 409.
 */
export async function pay(ctx: Ctx, body: PayInput, key: string): Promise<OrderOut> {
  return payWith(ctx.ds, scoped(ctx, body), body, key);
}

/**
 * The same, authenticating in its first statement (see authenticatedCheckoutContext): two round
 * trips in all. The retry under locks, if any, runs as the Actor the first attempt established.
 */
export async function authenticatedPay(tctx: TokenCtx, body: PayInput, key: string): Promise<OrderOut> {
  return payWith(tctx.ds, (sql, choice) => authenticatedCheckoutContext(tctx, sql, body, 'create', choice), body, key);
}

async function payWith(ds: DataSource, first: Snapshot, body: PayInput, key: string): Promise<OrderOut> {
  const finish = (em: EntityManager, out: OrderOut | Replay) =>
    'replay' in out ? replay(em, out.replay.tenantId, out.replay.accountId, key, out.replay.hash) : out;
  const seen: { ctx?: Ctx } = {};
  const remembering: Snapshot = async (sql, choice) => {
    const read = await first(sql, choice);
    seen.ctx = read.ctx;
    return read;
  };
  try {
    return await finish(ds.manager, await attempt(remembering, pooled(ds), body, key, false));
  } catch (err) {
    const code = pgCode(err);
    if ((code !== COUPON_CHANGED && code !== '40P01') || !seen.ctx) throw err;
  }
  const ctx = seen.ctx;
  return inTransaction(ds, async (em) => finish(em, await attempt(scoped(ctx, body), inTx(em), body, key, true)));
}
