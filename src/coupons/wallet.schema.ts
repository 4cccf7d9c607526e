import { z } from '../shared/zod';
import { Id, InstantText, PageQuery, page } from '../shared/schemas';
import { ProductCode } from '../catalog/product.schema';
import { CouponJson } from './coupon-json';
import { INT8_MAX } from '../shared/money';

export const WalletQuery = z.strictObject({
  ...PageQuery,
  accountId: Id.optional(),
  status: z.enum(['unused', 'used', 'expired', 'pending_activation', 'revoked']).optional(),
  product: ProductCode.optional().describe('Coupons that can cover this product (product coupons listing it, and general ones)'),
  expiresBefore: InstantText.optional(),
  templateId: Id.optional(),
});
export const CouponPage = page(CouponJson).openapi('CouponPage');

export const LedgerQuery = z.strictObject({
  limit: PageQuery.limit,
  after: z
    .string()
    .regex(/^\d{1,19}$/)
    // zod runs a refinement even when the regex failed: BigInt only ever sees digits.
    .refine((s) => !/^\d{1,19}$/.test(s) || BigInt(s) <= INT8_MAX, 'past the largest entry id')
    .optional()
    .describe('The last entry id of the previous page'),
});
export const LedgerEntryJson = z
  .object({
    id: z.string(),
    at: z.string(),
    type: z.enum(['issue', 'deduct', 'return', 'reclaim', 'expire', 'revoke']),
    amount: z.string().describe('Signed minor units: + adds to the balance, - takes from it'),
    balanceAfter: z.string(),
    orderId: Id.nullable(),
    billId: Id.nullable(),
  })
  .openapi('LedgerEntry');
export const LedgerPage = z.object({ items: z.array(LedgerEntryJson), next: z.string().nullable() }).openapi('LedgerPage');
