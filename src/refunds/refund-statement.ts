import type { DataSource } from 'typeorm';
import { toBigInt } from '../shared/money';

interface Row {
  id: string;
  order_id: string;
  at: Date;
  rule: string;
  products: string;
  currency: string;
  cash_paid: string;
  handling_fee: string;
  amount_due: string;
  cash_refund: string;
  coupon_id: string | null;
  coupon_return: string;
}

/**
 * R24, R27, R28: the refunds of an account's statement period (by the refund's time), each with
 * its terms, totals per currency, and the same refunds as signed statement lines for the CSV
 * (kind `refund`: what comes back is negative, so a download sums to the net).
 */
export async function statementRefunds(ds: Pick<DataSource, 'query'>, tenantId: string, accountId: string, from: Date, to: Date) {
  const rows: Row[] = await ds.query(
    `SELECT r.id, r.order_id, r.created_at AS at, r.rule, r.currency, r.cash_paid::text, r.handling_fee::text, r.amount_due::text,
            r.cash_refund::text, r.coupon_id, r.coupon_return::text,
            (SELECT string_agg(i.product_code, ' ' ORDER BY i.line) FROM order_items i WHERE i.tenant_id = r.tenant_id AND i.order_id = r.order_id) AS products
       FROM refunds r WHERE r.tenant_id = $1 AND r.account_id = $2 AND r.created_at >= $3 AND r.created_at < $4
      ORDER BY r.created_at, r.id`,
    [tenantId, accountId, from, to],
  );
  const refunds = rows.map((r) => ({
    id: r.id, orderId: r.order_id, at: r.at.toISOString(), rule: r.rule, products: r.products, currency: r.currency, cashPaid: r.cash_paid,
    handlingFee: r.handling_fee, amountDue: r.amount_due, cashRefund: r.cash_refund, couponId: r.coupon_id, couponReturn: r.coupon_return,
  }));
  const by = new Map<string, { cashRefund: bigint; couponReturn: bigint; handlingFee: bigint }>();
  for (const r of rows) {
    const t = by.get(r.currency) ?? { cashRefund: 0n, couponReturn: 0n, handlingFee: 0n };
    t.cashRefund += toBigInt(r.cash_refund);
    t.couponReturn += toBigInt(r.coupon_return);
    t.handlingFee += toBigInt(r.handling_fee);
    by.set(r.currency, t);
  }
  const refundTotals = [...by].map(([currency, t]) => ({
    currency, cashRefund: t.cashRefund.toString(), couponReturn: t.couponReturn.toString(), handlingFee: t.handlingFee.toString(),
  }));
  const neg = (v: string) => (-toBigInt(v)).toString();
  const csvLines = rows.map((r) => ({
    at: r.at.toISOString(), kind: 'refund', id: r.id, products: r.products, currency: r.currency,
    amount: (-(toBigInt(r.cash_refund) + toBigInt(r.coupon_return))).toString(), couponDeduction: neg(r.coupon_return),
    coupons: r.coupon_id && r.coupon_return !== '0' ? `${r.coupon_id}:${neg(r.coupon_return)}` : '', cashDue: neg(r.cash_refund),
  }));
  return { refunds, refundTotals, csvLines };
}
