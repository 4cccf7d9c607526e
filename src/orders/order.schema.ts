import { z } from '../shared/zod';
import { Id, PageQuery, page } from '../shared/schemas';
import { Currency, MAX_MINOR_UNITS, PositiveMinorUnits } from '../shared/money-schema';
import { ProductCode } from '../catalog/product.schema';
import { SCENARIOS } from '../templates/template.schema';

const OrderItem = z.strictObject({
  productCode: ProductCode,
  amount: PositiveMinorUnits,
  durationMonths: z.number().int().min(1).max(120).optional().describe('For a subscription: the months bought (R19)'),
});

const CheckoutFields = z.strictObject({
    accountId: Id.optional().describe('Defaults to your own account'),
    currency: Currency,
    scenario: z.enum(SCENARIOS).describe('The transaction type (R17)'),
    items: z.array(OrderItem).min(1).max(50),
    promotional: z.boolean().default(false).describe('An order from a promotional campaign (R20)'),
    paidOnBehalf: z.boolean().default(false).describe('Paid by a reseller on behalf of its customer (R20)'),
});
/** Each item is bounded, and so is their sum: an order's total must be an amount too (bigint). */
const totalIsAnAmount = (o: { items: { amount: bigint }[] }, ctx: z.RefinementCtx) => {
  if (o.items.reduce((sum, i) => sum + i.amount, 0n) > MAX_MINOR_UNITS) {
    ctx.addIssue({ code: 'custom', path: ['items'], message: `the items sum past the largest order total (${MAX_MINOR_UNITS})` });
  }
};
export const CheckoutBody = CheckoutFields.superRefine(totalIsAnAmount).openapi('Checkout');
export const PayBody = CheckoutFields.extend({
  coupon: z.union([Id, z.literal('none'), z.literal('best')]).describe('A coupon id, `best` (first in priority) or `none`'),
})
  .superRefine(totalIsAnAmount)
  .openapi('Pay');
export const QuoteQuery = z.strictObject({ explain: z.enum(['true', 'false']).default('false').describe('Also list the coupons that do not apply, with why') });
export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, '8-128 characters: letters, digits, . _ : -'),
});
export const ListOrdersQuery = z.strictObject({ ...PageQuery, accountId: Id.optional() });

const QuotedCoupon = z.object({
  couponId: Id,
  balance: z.string(),
  deduction: z.string(),
  cash: z.string().describe('What would be paid in cash with this coupon'),
  validUntil: z.string(),
  usage: z.enum(['one_time', 'reusable']),
  productCodes: z.array(z.string()),
});
export const QuoteJson = z
  .object({
    total: z.string(),
    currency: z.string(),
    applicable: z.array(QuotedCoupon).describe('In the default priority: largest balance, earliest expiry, earliest issuance (R22)'),
    refused: z.array(z.object({ couponId: Id, code: z.string() })).optional().describe('With explain=true'),
  })
  .openapi('Quote');

export const OrderJson = z
  .object({
    id: Id,
    accountId: Id,
    currency: z.string(),
    scenario: z.string(),
    total: z.string(),
    couponId: Id.nullable(),
    couponDeduction: z.string(),
    cash: z.string(),
    status: z.enum(['paid', 'refunded']),
    resourceState: z.enum(['active', 'grace_period', 'retention_period']).describe('Set by the provisioning side; grace and retention are not refundable (R29)'),
    items: z.array(z.object({ productCode: z.string(), amount: z.string(), durationMonths: z.number().nullable() })),
    createdAt: z.string(),
  })
  .openapi('Order');
export const OrderPage = page(OrderJson.omit({ items: true })).openapi('OrderPage');
