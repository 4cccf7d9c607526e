import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import type { TokenCtx } from './token-ctx';
import { isApplicable, paymentTotal, type CouponFacts, type Payment, type ProductFacts, type RefusalCode } from '../billing/eligibility';
import { checkoutOrder } from '../billing/priority';
import { pooled } from '../db/prepared';
import { authenticatedCheckoutContext, checkoutContext, type CheckoutContext } from './checkout-context';
import type { CheckoutBody } from './order.schema';

export interface Judged {
  applicable: (CouponFacts & { deduction: bigint })[];
  refused: { couponId: string; code: RefusalCode }[];
}

/** Every coupon judged against the payment; the applicable ones in the default priority (R22). */
export function judge(coupons: CouponFacts[], payment: Payment, catalog: Map<string, ProductFacts>): Judged {
  const applicable: Judged['applicable'] = [];
  const refused: Judged['refused'] = [];
  for (const c of coupons) {
    const verdict = isApplicable(c, payment, catalog);
    if (verdict.ok) applicable.push({ ...c, deduction: verdict.deduction });
    else refused.push({ couponId: c.id, code: verdict.code });
  }
  return { applicable: checkoutOrder(applicable), refused };
}

/** R22: what each applicable coupon would deduct; with explain, why the others do not apply. */
export async function quote(ctx: Ctx, body: z.output<typeof CheckoutBody>, explain: boolean) {
  return quoted(await checkoutContext(ctx, pooled(ctx.ds), body, 'read', { onlyUsable: !explain, lock: false }), explain);
}

/** The same, authenticating in its one statement (see authenticatedCheckoutContext): one round trip. */
export async function authenticatedQuote(tctx: TokenCtx, body: z.output<typeof CheckoutBody>, explain: boolean) {
  const { checkout } = await authenticatedCheckoutContext(tctx, pooled(tctx.ds), body, 'read', { onlyUsable: !explain });
  return quoted(checkout, explain);
}

function quoted({ payment, catalog, coupons }: CheckoutContext, explain: boolean) {
  const { applicable, refused } = judge(coupons, payment, catalog);
  const total = paymentTotal(payment);
  return {
    total: total.toString(),
    currency: payment.currency,
    applicable: applicable.map((c) => ({
      couponId: c.id,
      balance: c.balance.toString(),
      deduction: c.deduction.toString(),
      cash: (total - c.deduction).toString(),
      validUntil: c.validUntil.toISOString(),
      usage: c.usage,
      productCodes: [...c.productCodes],
    })),
    ...(explain ? { refused } : {}),
  };
}
