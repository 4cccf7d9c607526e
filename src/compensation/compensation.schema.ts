import { z } from '../shared/zod';
import { Id, InstantText as Instant, PageQuery, page } from '../shared/schemas';
import { ProductCode } from '../catalog/product.schema';
import { FAULT_CAUSES, FAULT_KINDS } from './compensation-rules';


export const RecordFaultBody = z
  .strictObject({
    productCode: ProductCode.describe('The affected service'),
    kind: z.enum(FAULT_KINDS).describe('unavailability (x100), provisioning_delay or billing_error (x2) (R33)'),
    cause: z.enum(FAULT_CAUSES).describe('platform: the vendor\'s own fault; every other cause is excluded from compensation (R33)'),
    start: Instant,
    end: Instant.describe('After start, and not in the future: a fault is recorded once it is over'),
    description: z.string().trim().max(2000).default(''),
    accountIds: z.array(Id).min(1).max(10_000).describe('The affected accounts, of any tenant'),
  })
  .refine((b) => Date.parse(b.end) > Date.parse(b.start), { path: ['end'], message: 'must be after start' })
  .openapi('RecordFault');

export const ListFaultsQuery = z.strictObject({
  ...PageQuery,
  accountId: Id.optional().describe('Faults that affected this account'),
  productCode: ProductCode.optional(),
});

export const FaultJson = z
  .object({
    id: Id,
    productCode: z.string(),
    kind: z.enum(FAULT_KINDS),
    cause: z.enum(FAULT_CAUSES),
    start: z.string(),
    end: z.string(),
    description: z.string(),
    multiple: z.number().describe('100 for unavailability, 2 for a provisioning delay or a billing error'),
    compensable: z.boolean().describe('False for an excluded cause: claims on it are refused with the reason'),
    exclusionReason: z.string().nullable(),
    claimWindowEndsAt: z.string().describe('Claims are accepted up to and including this instant (end + 7 x 24 h)'),
    accountIds: z.array(Id).describe('The affected accounts in your scope'),
    createdAt: z.string(),
  })
  .openapi('Fault');
export const FaultPage = page(FaultJson).openapi('FaultPage');

export const ClaimBody = z.strictObject({ accountId: Id.describe('The affected account claiming') }).openapi('ClaimCompensation');

export const ClaimJson = z
  .object({
    id: Id,
    faultId: Id,
    accountId: Id,
    status: z.enum(['granted', 'refused']),
    amount: z.string().nullable().describe('Minor units granted; null when refused'),
    currency: z.string().nullable(),
    refusal: z.object({ code: z.string(), reason: z.string() }).nullable(),
    couponId: Id.nullable().describe('The vendor-borne compensation coupon, when granted'),
    terms: z.record(z.string(), z.unknown()).describe('How the amount was computed: kind, multiple, fault minutes, cost basis, window'),
    claimedBy: Id,
    createdAt: z.string(),
  })
  .openapi('CompensationClaim');

export const ClaimsQuery = z.strictObject({ ...PageQuery, faultId: Id.optional(), status: z.enum(['granted', 'refused']).optional() });
export const ClaimPage = page(ClaimJson).openapi('CompensationClaimPage');
