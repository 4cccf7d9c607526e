import { z } from '../shared/zod';
import { Id, Instant, PageQuery, page } from '../shared/schemas';
import { Currency, PositiveMinorUnits } from '../shared/money-schema';
import { ProductCode } from '../catalog/product.schema';
import { BILLING_MODES, SCENARIOS } from '../templates/template.schema';
import { CouponJson } from '../coupons/coupon-json';

const unique = <T>(a: T[]) => new Set(a).size === a.length;
const AccountIds = z.array(Id).max(100).refine(unique, 'duplicate account id');

export const GrantPoolBody = z
  .strictObject({
    partnerId: Id,
    currency: Currency,
    amount: PositiveMinorUnits,
    validFrom: Instant.optional().describe('Defaults to now'),
    validUntil: Instant.describe('Excluded (R34); vouchers made from the pool expire by then'),
    note: z.string().trim().max(500).default(''),
  })
  .openapi('GrantVoucherPool');

export const PoolJson = z
  .object({
    id: Id,
    partnerId: Id,
    currency: z.string(),
    granted: z.string(),
    balance: z.string().describe('What is left to make vouchers from'),
    validFrom: z.string(),
    validUntil: z.string(),
    note: z.string(),
    createdAt: z.string(),
  })
  .openapi('VoucherPool');
export const PoolPage = page(PoolJson).openapi('VoucherPoolPage');
export const ListPoolsQuery = z.strictObject({ ...PageQuery, partnerId: Id.optional() });

export const PoolLedgerJson = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        type: z.enum(['grant', 'generate', 'reclaim']),
        amount: z.string().describe('Signed minor units'),
        balanceAfter: z.string(),
        voucherId: Id.nullable(),
      }),
    ),
  })
  .openapi('VoucherPoolLedger');

export const MakeVoucherBody = z
  .strictObject({
    faceValue: PositiveMinorUnits,
    usage: z.enum(['one_time', 'reusable']).default('reusable'),
    validUntil: Instant.optional().describe("Defaults to the pool's end; never after it"),
    productCodes: z.array(ProductCode).max(100).refine(unique, 'duplicate product code').default([]).describe('Empty: a general voucher'),
    billingModes: z.array(z.enum(BILLING_MODES)).min(1).max(2).refine(unique, 'duplicate billing mode').default(['prepaid', 'payg']),
    scenarios: z.array(z.enum(SCENARIOS)).max(5).refine(unique, 'duplicate scenario').default([...SCENARIOS]),
    minSpend: PositiveMinorUnits.nullable().default(null),
    maxDurationMonths: z.number().int().min(1).max(120).nullable().default(null),
    allowPromotional: z.boolean().default(false),
    accountIds: AccountIds.default([]).describe('Accounts of the partner that share the voucher'),
  })
  .superRefine((v, ctx) => {
    if (v.billingModes.includes('prepaid') && v.scenarios.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['scenarios'], message: 'a prepaid voucher lists the transaction types it covers (R17)' });
    }
    if (!v.billingModes.includes('prepaid') && v.scenarios.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['scenarios'], message: 'scenarios apply to prepaid vouchers only' });
    }
  })
  .openapi('MakeVoucher');

export const ShareVoucherBody = z.strictObject({ accountIds: AccountIds.min(1) }).openapi('ShareVoucher');

export const VoucherJson = CouponJson.extend({ holderIds: z.array(Id).describe('The accounts that share it') }).openapi('Voucher');
