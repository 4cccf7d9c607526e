import type { Ctx } from '../auth/context';
import { AppError, notFound } from '../shared/errors';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { recordAudit } from '../audit/record-audit';
import { returnToCoupon } from '../coupons/return-to-coupon';
import { Order } from '../orders/order.entity';
import { decideRefund } from './refund-rules';
import { refundFacts } from './refund-facts';
import { findRefund, insertRefund, refundJson } from './refund-record';

/**
 * R27-R30: refunds a prepaid order, once. In one transaction, locks taken in one order: the order
 * row (a second refund of it waits, then finds it refunded: 409 already_refunded; the unique
 * refund per order backs that up), the account row (R30's yearly count), then the coupon row
 * (as checkout does, by id), which gets its `return` ledger row. The order becomes `refunded`.
 * The cash itself leaves through the payment provider, which is not modelled: the refund row is
 * the record of what is owed back.
 */
export async function refundOrder(ctx: Ctx, orderId: string, reason: string | null) {
  return inTransaction(ctx.ds, async (em) => {
    const order = await findReadable(ctx, em, Order, 'Order', orderId, { lock: true });
    authorize(ctx, 'refund', 'Order', order);
    const facts = await refundFacts(em, order, { lockAccount: true });
    const d = decideRefund(facts);
    if (!d.ok) throw new AppError('not_refundable', `the order cannot be refunded: ${d.why.join('; ')}`, { code: d.code, explanation: d.why });
    const why = `refund of order ${order.id}`;
    if (d.terms.couponReturn > 0n && order.couponId) {
      await returnToCoupon(em, ctx.actor, { tenantId: order.tenantId, couponId: order.couponId, orderId: order.id, amount: d.terms.couponReturn, now: facts.now, why });
    }
    await insertRefund(em, order, d, facts, ctx.actor.userId, reason);
    await em.query(`UPDATE orders SET status = 'refunded' WHERE tenant_id = $1 AND id = $2 AND status = 'paid'`, [order.tenantId, order.id]);
    await recordAudit(em, ctx.actor, [{ tenantId: order.tenantId, objectType: 'order', objectId: order.id, action: 'refunded', from: 'paid', to: 'refunded', reason: reason ?? d.rule }]);
    return refundJson((await findRefund(em, order.tenantId, order.id))!);
  });
}

/** The refund of an order the actor may read, or 404 when it has none. */
export async function getRefund(ctx: Ctx, orderId: string) {
  const order = await findReadable(ctx, ctx.ds.manager, Order, 'Order', orderId);
  const row = await findRefund(ctx.ds.manager, order.tenantId, order.id);
  if (!row) throw notFound('refund');
  return refundJson(row);
}
