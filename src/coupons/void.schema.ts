import { z } from '../shared/zod';
import { Id, Reason } from '../shared/schemas';

/** The most coupons one list void names; a whole request (up to 10,000) goes by its own route. */
export const MAX_VOID_LIST = 1000;

const why = Reason.describe('Why: kept on each coupon and its audit row, and shown to the account (R35)');

export const VoidBody = z.strictObject({ reason: why }).openapi('VoidCoupon');

export const VoidListBody = z
  .strictObject({ couponIds: z.array(Id).min(1).max(MAX_VOID_LIST), reason: why })
  .openapi('VoidCoupons');

export const VoidSummary = z
  .object({
    voided: z.number().int().describe('Coupons this call revoked'),
    alreadyRevoked: z.number().int().describe('Coupons that were revoked before: left unchanged (a void is idempotent)'),
    notOpen: z.number().int().describe("A request's used or expired coupons, left as they are (a list naming one is refused)"),
    writtenOff: z
      .array(z.object({ currency: z.string(), amount: z.string() }))
      .describe('What the revoke ledger rows took off the coupons, per currency (minor units)'),
  })
  .openapi('VoidSummary');
export type VoidSummaryJson = z.infer<typeof VoidSummary>;
