import type { z } from '../shared/zod';
import type { Ctx } from '../auth/context';
import { findReadable } from '../auth/scope';
import { Order } from '../orders/order.entity';
import { decideRefund, FIVE_DAY_REFUNDS_PER_YEAR, FIVE_DAY_WINDOW_MS } from './refund-rules';
import { refundFacts } from './refund-facts';
import { termsJson, type RefundQuoteJson } from './refund.schema';

/**
 * R27-R30: what a refund of the order would give back now, which rule applies and why, every
 * term shown; a refusal is an answer too (refundable: false with its code). Whoever may read the
 * order may ask; nothing is written or locked.
 */
export async function refundQuote(ctx: Ctx, orderId: string): Promise<z.infer<typeof RefundQuoteJson>> {
  const em = ctx.ds.manager;
  const order = await findReadable(ctx, em, Order, 'Order', orderId);
  const facts = await refundFacts(em, order, { lockAccount: false });
  const d = decideRefund(facts);
  return {
    orderId: order.id,
    accountId: order.accountId,
    currency: order.currency,
    paidAt: order.createdAt.toISOString(),
    at: facts.now.toISOString(),
    refundable: d.ok,
    rule: d.ok ? d.rule : null,
    refusal: d.ok ? null : d.code,
    policy: facts.policy,
    fiveDay: {
      windowEndsAt: new Date(order.createdAt.getTime() + FIVE_DAY_WINDOW_MS).toISOString(),
      refundsThisYear: facts.fiveDayRefundsThisYear,
      limitPerYear: FIVE_DAY_REFUNDS_PER_YEAR,
      year: facts.now.getUTCFullYear(),
    },
    terms: d.ok ? termsJson(d.terms, order.couponId, order.createdAt) : null,
    explanation: d.why,
  };
}
