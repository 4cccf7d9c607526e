import type { Ctx } from '../auth/context';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { recordAudit } from '../audit/record-audit';
import { Order } from '../orders/order.entity';
import { orderJson } from '../orders/order-json';

/**
 * R29: the provisioning side (here: a platform admin) records that an order's resource entered
 * or left its grace or retention period; while it is in one, the order is not refundable.
 */
export async function setResourceState(ctx: Ctx, orderId: string, state: Order['resourceState']) {
  return inTransaction(ctx.ds, async (em) => {
    const order = await findReadable(ctx, em, Order, 'Order', orderId, { lock: true });
    authorize(ctx, 'update', 'Order', order, 'resourceState');
    if (order.resourceState !== state) {
      await em.query(`UPDATE orders SET resource_state = $3 WHERE tenant_id = $1 AND id = $2`, [order.tenantId, order.id, state]);
      await recordAudit(em, ctx.actor, [{ tenantId: order.tenantId, objectType: 'order', objectId: order.id, action: 'resource_state', from: order.resourceState, to: state }]);
    }
    return orderJson(em, order.tenantId, order.id);
  });
}
