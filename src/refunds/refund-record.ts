import type { EntityManager } from 'typeorm';
import type { z } from '../shared/zod';
import { toBigInt } from '../shared/money';
import type { Order } from '../orders/order.entity';
import { addMonthsUtc, type RefundDecision, type RefundFacts, type RefundTerms } from './refund-rules';
import { termsJson, type RefundJson, type RefundRow } from './refund.schema';

type Granted = Extract<RefundDecision, { ok: true }>;

/** The refund's row: every term the customer was shown and the policy in force, so the refund explains itself later. */
export async function insertRefund(
  em: EntityManager,
  o: Order,
  d: Granted,
  f: Pick<RefundFacts, 'policy' | 'now'>,
  by: string,
  reason: string | null,
): Promise<void> {
  const t = d.terms;
  await em.query(
    `INSERT INTO refunds (tenant_id, order_id, account_id, partner_id, currency, rule, policy, term_class, subscribed_months, subscribed_ms, used_ms,
                          cash_paid, coupon_id, coupon_deduction, fee_rate_bp, fee_band_months, handling_fee, amount_due, cash_refund, coupon_return,
                          explanation, reason, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`,
    [
      o.tenantId, o.id, o.accountId, o.partnerId, o.currency, d.rule, f.policy, t.subscription?.termClass ?? null,
      t.subscription?.months ?? null, t.subscription?.ms.toString() ?? null, t.usedMs.toString(), t.cashPaid.toString(), o.couponId,
      t.couponDeduction.toString(), t.feeRateBp, t.feeBand?.usedUpToMonths ?? null, t.handlingFee.toString(), t.amountDue.toString(),
      t.refund.toString(), t.couponReturn.toString(), d.why, reason, by, f.now,
    ],
  );
}

const COLUMNS = `r.id, r.order_id, r.account_id, r.currency, r.rule, r.policy, r.term_class, r.subscribed_months, r.subscribed_ms::text, r.used_ms::text,
  r.cash_paid::text, r.coupon_id, r.coupon_deduction::text, r.fee_rate_bp, r.fee_band_months, r.handling_fee::text, r.amount_due::text,
  r.cash_refund::text, r.coupon_return::text, r.explanation, r.reason, r.created_by, r.created_at, o.created_at AS paid_at`;

export async function findRefund(em: Pick<EntityManager, 'query'>, tenantId: string, orderId: string): Promise<RefundRow | undefined> {
  const [row]: RefundRow[] = await em.query(
    `SELECT ${COLUMNS} FROM refunds r JOIN orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id WHERE r.tenant_id = $1 AND r.order_id = $2`,
    [tenantId, orderId],
  );
  return row;
}

export function rowTerms(r: RefundRow): RefundTerms {
  const months = r.subscribed_months;
  return {
    cashPaid: toBigInt(r.cash_paid),
    couponDeduction: toBigInt(r.coupon_deduction),
    usedMs: toBigInt(r.used_ms),
    subscription:
      months === null || r.term_class === null || r.subscribed_ms === null
        ? null
        : { months, termClass: r.term_class, start: r.paid_at, end: addMonthsUtc(r.paid_at, months), ms: toBigInt(r.subscribed_ms) },
    feeBand: r.rule === 'partial' ? { usedUpToMonths: r.fee_band_months, rateBp: r.fee_rate_bp } : null,
    feeRateBp: r.fee_rate_bp,
    handlingFee: toBigInt(r.handling_fee),
    amountDue: toBigInt(r.amount_due),
    refund: toBigInt(r.cash_refund),
    couponReturn: toBigInt(r.coupon_return),
  };
}

export function refundJson(r: RefundRow): z.infer<typeof RefundJson> {
  return {
    id: r.id,
    orderId: r.order_id,
    accountId: r.account_id,
    currency: r.currency,
    rule: r.rule,
    policy: r.policy,
    terms: termsJson(rowTerms(r), r.coupon_id, r.paid_at),
    explanation: r.explanation,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}
