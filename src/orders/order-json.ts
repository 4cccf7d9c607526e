import type { EntityManager } from 'typeorm';
import type { z } from '../shared/zod';
import { Order } from './order.entity';
import type { OrderJson } from './order.schema';

export function orderSummary(o: Order): Omit<z.infer<typeof OrderJson>, 'items'> {
  return {
    id: o.id,
    accountId: o.accountId,
    currency: o.currency,
    scenario: o.scenario,
    total: o.total.toString(),
    couponId: o.couponId,
    couponDeduction: o.couponDeduction.toString(),
    cash: o.cash.toString(),
    status: o.status,
    resourceState: o.resourceState,
    createdAt: o.createdAt.toISOString(),
  };
}

export async function orderJson(em: EntityManager, tenantId: string, id: string): Promise<z.infer<typeof OrderJson>> {
  const order = await em.getRepository(Order).findOneByOrFail({ tenantId, id });
  const items: { product_code: string; amount: string; duration_months: number | null }[] = await em.query(
    `SELECT product_code, amount::text, duration_months FROM order_items WHERE tenant_id = $1 AND order_id = $2 ORDER BY line`,
    [tenantId, id],
  );
  return {
    ...orderSummary(order),
    items: items.map((i) => ({ productCode: i.product_code, amount: i.amount, durationMonths: i.duration_months })),
  };
}
