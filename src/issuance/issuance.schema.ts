import { z } from '../shared/zod';
import { Id, PageQuery, Reason, page } from '../shared/schemas';
import { MinorUnits } from '../shared/money-schema';
import type { IssuanceRequest } from './issuance-request.entity';

export const REQUEST_STATUSES = [
  'submitted', 'pending_approval', 'approved', 'issuing', 'issued', 'issued_with_failures', 'rejected', 'cancelled', 'expired',
] as const;

export const REQUEST_KINDS = ['accounts', 'activation_codes'] as const;

export const SubmitRequestBody = z
  .strictObject({
    templateId: Id,
    accountIds: z.array(Id).min(1).max(10_000).optional().describe('1 to 10,000 of your own subaccounts; duplicates are folded'),
    codeCount: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe('Offline (R31), instead of accountIds: this many coupons with activation codes, generated once approved'),
  })
  .refine((b) => (b.accountIds === undefined) !== (b.codeCount === undefined), {
    path: ['accountIds'],
    message: 'give either accountIds or codeCount',
  })
  .openapi('SubmitIssuanceRequest');
export const RejectBody = z.strictObject({ reason: Reason }).openapi('RejectIssuanceRequest');

export const ListRequestsQuery = z.strictObject({
  ...PageQuery,
  status: z.enum(REQUEST_STATUSES).optional(),
  templateId: Id.optional(),
});
export const QueueQuery = z.strictObject({
  ...PageQuery,
  partnerId: Id.optional(),
  costBearer: z.enum(['vendor', 'partner']).optional(),
  minTotal: MinorUnits.optional().describe('Total face value at least this'),
  maxTotal: MinorUnits.optional().describe('Total face value at most this'),
});
export const DecisionsQuery = z.strictObject({
  ...PageQuery,
  outcome: z.enum(['approved', 'rejected']).optional().describe('approved: approved and whatever followed (issuing, issued, issued with failures)'),
});
export const ItemsQuery = z.strictObject({ ...PageQuery, status: z.enum(['pending', 'issued', 'failed']).optional() });

export const RequestJson = z
  .object({
    id: Id,
    tenantId: Id,
    partnerId: Id,
    templateId: Id,
    kind: z.enum(REQUEST_KINDS).describe('accounts: to named subaccounts; activation_codes: offline, a count of coupons with codes (R31)'),
    costBearer: z.enum(['vendor', 'partner']),
    currency: z.string(),
    faceValue: z.string(),
    totalAccounts: z.number().describe('How many coupons the request makes: accounts named, or codes'),
    totalFaceValue: z.string(),
    status: z.enum(REQUEST_STATUSES),
    progress: z.object({ issued: z.number(), failed: z.number(), total: z.number() }),
    submittedBy: Id,
    decidedBy: Id.nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
    expiresAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('IssuanceRequest');
export const RequestPage = page(RequestJson).openapi('IssuanceRequestPage');

export function requestJson(r: IssuanceRequest): z.infer<typeof RequestJson> {
  return {
    id: r.id,
    tenantId: r.tenantId,
    partnerId: r.partnerId,
    templateId: r.templateId,
    kind: r.kind,
    costBearer: r.costBearer,
    currency: r.currency,
    faceValue: r.faceValue.toString(),
    totalAccounts: r.totalAccounts,
    totalFaceValue: r.totalFaceValue.toString(),
    status: r.status,
    progress: { issued: r.issuedCount, failed: r.failedCount, total: r.totalAccounts },
    submittedBy: r.submittedBy,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionReason: r.decisionReason,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
