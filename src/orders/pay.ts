import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Ctx } from '../http/context';
import { AppError, conflict } from '../http/errors';
import { inTransaction } from '../db/tx';
import { paymentTotal } from '../billing/eligibility';
import { accountCoupons, checkoutContext } from './checkout-context';
import { judge } from './quote';
import { orderJson } from './order-json';
import type { PayBody } from './order.schema';

/**
 * R21, R26: one coupon per order, deduction = min(balance, in-scope amount), the rest in cash;
 * the order, its items, the debit and its ledger row are one statement in one transaction.
 * The coupons it may touch are row-locked in id order first, so concurrent payments on one coupon
 * queue up and none deducts more than the balance (the debit is also conditional).
 * Idempotency: the key is unique per account; a replay with the same body gets the first order,
 * with another body a 409.
 */
const WRITE_SQL = `
WITH o AS (
  INSERT INTO orders (tenant_id, id, account_id, partner_id, currency, scenario, promotional, paid_on_behalf, total,
                      coupon_id, coupon_deduction, cash, idempotency_key, request_hash, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT (tenant_id, account_id, idempotency_key) DO NOTHING RETURNING id
), items AS (
  INSERT INTO order_items (tenant_id, order_id, line, product_code, amount, duration_months)
  SELECT $1, o.id, x.line, x.code, x.amount, x.months
    FROM o, unnest($16::int[], $17::text[], $18::bigint[], $19::int[]) AS x(line, code, amount, months)
), c AS (
  UPDATE coupons SET balance = balance - $11,
         status = CASE WHEN usage = 'one_time' OR balance - $11 = 0 THEN 'used' ELSE status END
   WHERE tenant_id = $1 AND id = $10 AND $11 > 0 AND status = 'unused' AND balance >= $11 AND EXISTS (SELECT 1 FROM o)
  RETURNING id, account_id, balance, status
), l AS (
  INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after, order_id)
  SELECT $1, c.id, c.account_id, 'deduct', -$11, c.balance, $2 FROM c
), a AS (
  INSERT INTO audit_events (tenant_id, object_type, object_id, action, from_status, to_status, reason, actor_user_id, actor_kind)
  SELECT $1, 'coupon', c.id, 'used', 'unused', 'used', 'order ' || $2, $15, 'user' FROM c WHERE c.status = 'used'
)
SELECT (SELECT id FROM o) AS order_id, (SELECT count(*) FROM c)::int AS debited`;

function requestHash(body: z.output<typeof PayBody>, accountId: string): string {
  const canonical = JSON.stringify({ ...body, accountId, items: body.items.map((i) => ({ ...i, amount: i.amount.toString() })) });
  return createHash('sha256').update(canonical).digest('hex');
}

async function replay(em: EntityManager, tenantId: string, accountId: string, key: string, hash: string) {
  const [prior]: { id: string; request_hash: string }[] = await em.query(
    `SELECT id, request_hash FROM orders WHERE tenant_id = $1 AND account_id = $2 AND idempotency_key = $3`,
    [tenantId, accountId, key],
  );
  if (prior.request_hash !== hash) throw conflict('this Idempotency-Key was used with another request', { code: 'idempotency_key_reused' });
  return orderJson(em, tenantId, prior.id);
}

export async function pay(ctx: Ctx, body: z.output<typeof PayBody>, idempotencyKey: string) {
  return inTransaction(ctx.ds, async (em) => {
    const { account, payment, catalog } = await checkoutContext(ctx, em, body, 'create');
    const hash = requestHash(body, account.id);
    const candidates =
      body.coupon === 'none'
        ? []
        : await accountCoupons(em, account, { onlyUsable: body.coupon === 'best', lock: true, couponId: body.coupon === 'best' ? undefined : body.coupon });
    const { applicable, refused } = judge(candidates, payment, catalog);
    let chosen: (typeof applicable)[number] | null = applicable[0] ?? null;
    if (body.coupon !== 'none' && body.coupon !== 'best') {
      if (candidates.length === 0) throw new AppError(404, 'not_found', 'coupon not found');
      if (!chosen) {
        // A replay of a paid order must not fail because its coupon is now spent.
        const prior: unknown[] = await em.query(`SELECT 1 FROM orders WHERE tenant_id = $1 AND account_id = $2 AND idempotency_key = $3`, [account.tenantId, account.id, idempotencyKey]);
        if (prior.length) return replay(em, account.tenantId, account.id, idempotencyKey, hash);
        throw new AppError(409, 'coupon_not_applicable', `the coupon does not apply to this order: ${refused[0].code}`, { couponId: body.coupon, code: refused[0].code });
      }
    }
    if (body.coupon === 'none') chosen = null;
    const total = paymentTotal(payment);
    const deduction = chosen?.deduction ?? 0n;
    const id = randomUUID();
    const [res]: { order_id: string | null; debited: number }[] = await em.query(WRITE_SQL, [
      account.tenantId, id, account.id, account.partnerId, payment.currency, body.scenario, body.promotional, body.paidOnBehalf,
      total.toString(), chosen?.id ?? null, deduction.toString(), (total - deduction).toString(), idempotencyKey, hash, ctx.actor.userId,
      body.items.map((_, i) => i + 1), body.items.map((i) => i.productCode), body.items.map((i) => i.amount.toString()),
      body.items.map((i) => i.durationMonths ?? null),
    ]);
    if (!res.order_id) return replay(em, account.tenantId, account.id, idempotencyKey, hash);
    if (chosen && res.debited !== 1) throw new Error(`coupon ${chosen.id} was not debited under its lock`);
    return orderJson(em, account.tenantId, id);
  });
}
