import type { EntityManager } from 'typeorm';
import type { Order } from '../orders/order.entity';
import { first } from '../db/rows';
import type { RefundFacts, RefundItem, RefundPolicy } from './refund-rules';

/**
 * An order's facts as the pure refund rules see them, at the database's clock (the one that
 * stamped paid_at). With `lockAccount` (the refund itself) the account row is locked first
 * (FOR NO KEY UPDATE: a payment's foreign-key check is not blocked), so two concurrent five-day
 * refunds of one account count one after the other and cannot both be the 10th (R30).
 */
export async function refundFacts(em: EntityManager, order: Order, opts: { lockAccount: boolean }): Promise<RefundFacts> {
  const { now } = first<{ now: Date }>(await em.query(`SELECT date_trunc('milliseconds', now()) AS now`), 'SELECT now()');
  if (opts.lockAccount) await em.query(`SELECT 1 FROM accounts WHERE tenant_id = $1 AND id = $2 FOR NO KEY UPDATE`, [order.tenantId, order.accountId]);
  const year = now.getUTCFullYear();
  const rows: { items: RefundItem[]; five_day: number; policy: RefundPolicy }[] = await em.query(
    `SELECT (SELECT json_agg(json_build_object('productCode', i.product_code, 'durationMonths', i.duration_months, 'refundable', p.refundable) ORDER BY i.line)
               FROM order_items i JOIN products p ON p.code = i.product_code
              WHERE i.tenant_id = $1 AND i.order_id = $2) AS items,
            (SELECT count(*)::int FROM refunds r
              WHERE r.tenant_id = $1 AND r.account_id = $3 AND r.rule = 'five_day_full' AND r.created_at >= $4 AND r.created_at < $5) AS five_day,
            (SELECT policy FROM refund_policy) AS policy`,
    [order.tenantId, order.id, order.accountId, new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year + 1, 0, 1))],
  );
  const row = first(rows, 'refund facts'); // a SELECT of scalar subqueries: one row
  return {
    mode: 'prepaid',
    orderStatus: order.status,
    paidAt: order.createdAt,
    now,
    cashPaid: order.cash,
    couponDeduction: order.couponDeduction,
    items: row.items,
    resourceState: order.resourceState,
    fiveDayRefundsThisYear: row.five_day,
    policy: row.policy,
  };
}
