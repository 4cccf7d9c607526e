import { z } from '../shared/zod';
import { EntryIdAfter, Id, InstantText, PageQuery, page } from '../shared/schemas';
import { ProductCode } from '../catalog/product.schema';
import { CouponJson } from './coupon-json';

export const WalletQuery = z.strictObject({
  ...PageQuery,
  accountId: Id.optional(),
  status: z.enum(['unused', 'used', 'expired', 'pending_activation', 'revoked']).optional(),
  product: ProductCode.optional().describe('Coupons that can cover this product (product coupons listing it, and general ones)'),
  expiresBefore: InstantText.optional(),
  templateId: Id.optional(),
});
export const CouponPage = page(CouponJson).openapi('CouponPage');

export const LedgerQuery = z.strictObject({ limit: PageQuery.limit, after: EntryIdAfter });
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
