import { z } from '../shared/zod';
import { Id } from '../shared/schemas';
import { COUPON_ORIGINS, type Coupon } from './coupon.entity';

export const CouponJson = z
  .object({
    id: Id,
    accountId: Id.nullable().describe('Null for a code not yet activated and for a shared voucher'),
    partnerId: Id,
    origin: z.enum(COUPON_ORIGINS).describe('issuance, an activation code, a quota-pool voucher, or fault compensation'),
    templateId: Id.nullable(),
    requestId: Id.nullable(),
    poolId: Id.nullable().describe('For a voucher: the quota pool it was made from (R32)'),
    currency: z.string(),
    faceValue: z.string(),
    balance: z.string(),
    status: z.enum(['unused', 'used', 'expired', 'pending_activation', 'revoked']),
    costBearer: z.enum(['vendor', 'partner']),
    usage: z.enum(['one_time', 'reusable']),
    validFrom: z.string(),
    validUntil: z.string(),
    scope: z.object({
      productCodes: z.array(z.string()).describe('Empty: a general coupon'),
      billingModes: z.array(z.string()),
      scenarios: z.array(z.string()),
      minSpend: z.string().nullable(),
      maxDurationMonths: z.number().nullable(),
      allowPromotional: z.boolean(),
    }),
    rules: z.record(z.string(), z.unknown()).describe('The template\'s rules as they were at issuance (R8)'),
    issuedAt: z.string(),
    revokedAt: z.string().nullable().describe('When it was revoked (voided, or a voucher reclaimed), while `revoked` (R35)'),
    revokedReason: z.string().nullable().describe('Why it was revoked: the void\'s reason, shown to the account too (R35)'),
  })
  .openapi('Coupon');

export function couponJson(c: Coupon): z.infer<typeof CouponJson> {
  return {
    id: c.id,
    accountId: c.accountId,
    partnerId: c.partnerId,
    origin: c.origin,
    templateId: c.templateId,
    requestId: c.requestId,
    poolId: c.poolId,
    currency: c.currency,
    faceValue: c.faceValue.toString(),
    balance: c.balance.toString(),
    status: c.status,
    costBearer: c.costBearer,
    usage: c.usage,
    validFrom: c.validFrom.toISOString(),
    validUntil: c.validUntil.toISOString(),
    scope: {
      productCodes: c.productCodes,
      billingModes: c.billingModes,
      scenarios: c.scenarios,
      minSpend: c.minSpend?.toString() ?? null,
      maxDurationMonths: c.maxDurationMonths,
      allowPromotional: c.allowPromotional,
    },
    rules: c.rules,
    issuedAt: c.issuedAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    revokedReason: c.revokedReason,
  };
}

