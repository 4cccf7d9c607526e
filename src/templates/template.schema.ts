import { z } from '../shared/zod';
import { Id, Instant, Name, PageQuery, page } from '../shared/schemas';
import { Currency, PositiveMinorUnits } from '../shared/money-schema';
import { ProductCode } from '../catalog/product.schema';
import { config } from '../config';

export const BILLING_MODES = ['prepaid', 'payg'] as const;
export const SCENARIOS = ['purchase', 'renewal', 'upgrade', 'os_change', 'trial_conversion'] as const;

const Validity = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), from: Instant, until: Instant }).describe('A window: includes from, excludes until (R34)'),
  z.strictObject({ kind: z.literal('relative'), days: z.number().int().min(1).max(3650) }).describe('N x 24 hours from issuance'),
]);
const unique = <T>(a: T[]) => new Set(a).size === a.length;

const CapSchema = z
  .strictObject({ count: z.number().int().min(1).max(100_000_000).optional(), amount: PositiveMinorUnits.optional() })
  .refine((c) => c.count !== undefined || c.amount !== undefined, 'give count, amount or both')
  .describe('The most this template may ever issue, in coupons or face value (R4)');

// The fields, without defaults: a PATCH must not fill in what it did not send.
const Fields = {
  name: Name,
  description: z.string().trim().max(2000),
  currency: Currency,
  faceValue: PositiveMinorUnits,
  costBearer: z.enum(['vendor', 'partner']),
  issueLimit: z.enum(['once', 'unlimited']),
  validity: Validity,
  usage: z.enum(['one_time', 'reusable']),
  productCodes: z.array(ProductCode).max(100).refine(unique, 'duplicate product code').describe('Empty: a general coupon'),
  billingModes: z.array(z.enum(BILLING_MODES)).min(1).max(2).refine(unique, 'duplicate billing mode'),
  scenarios: z.array(z.enum(SCENARIOS)).max(5).refine(unique, 'duplicate scenario'),
  minSpend: PositiveMinorUnits.nullable().describe('Applies only when the payment total exceeds it, strictly (R18)'),
  maxDurationMonths: z.number().int().min(1).max(120).nullable(),
  allowPromotional: z.boolean(),
  cap: CapSchema.nullable(),
};

export const TemplateDraft = z.strictObject({
  ...Fields,
  description: Fields.description.default(''),
  productCodes: Fields.productCodes.default([]),
  scenarios: Fields.scenarios.default([]),
  minSpend: Fields.minSpend.default(null),
  maxDurationMonths: Fields.maxDurationMonths.default(null),
  allowPromotional: Fields.allowPromotional.default(false),
  cap: Fields.cap.default(null),
});
export type Draft = z.output<typeof TemplateDraft>;

/** Rules across fields, each reported at the field it concerns. */
export function templateIssues(t: Draft, now = new Date()): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (t.faceValue > config().MAX_FACE_VALUE) issues.push({ path: ['faceValue'], message: `at most ${config().MAX_FACE_VALUE} minor units` });
  if (t.validity.kind === 'fixed') {
    if (t.validity.from >= t.validity.until) issues.push({ path: ['validity', 'until'], message: 'must be after from' });
    if (t.validity.until <= now) issues.push({ path: ['validity', 'until'], message: 'must be in the future' });
  }
  if (t.billingModes.includes('prepaid') && t.scenarios.length === 0) {
    issues.push({ path: ['scenarios'], message: 'a prepaid coupon lists the transaction types it covers (R17)' });
  }
  if (!t.billingModes.includes('prepaid') && t.scenarios.length > 0) {
    issues.push({ path: ['scenarios'], message: 'scenarios apply to prepaid coupons only' });
  }
  return issues;
}

export const CreateTemplateBody = TemplateDraft.superRefine((t, ctx) => {
  for (const i of templateIssues(t)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
}).openapi('CreateTemplate');

/** Every field may change until the template is first issued; afterwards only name and description. */
export const UpdateTemplateBody = z
  .strictObject({
    name: Fields.name.optional(),
    description: Fields.description.optional(),
    currency: Fields.currency.optional(),
    faceValue: Fields.faceValue.optional(),
    costBearer: Fields.costBearer.optional(),
    issueLimit: Fields.issueLimit.optional(),
    validity: Fields.validity.optional(),
    usage: Fields.usage.optional(),
    productCodes: Fields.productCodes.optional(),
    billingModes: Fields.billingModes.optional(),
    scenarios: Fields.scenarios.optional(),
    minSpend: Fields.minSpend.optional(),
    maxDurationMonths: Fields.maxDurationMonths.optional(),
    allowPromotional: Fields.allowPromotional.optional(),
    cap: Fields.cap.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update')
  .openapi('UpdateTemplate');

export const ListTemplatesQuery = z.strictObject({
  ...PageQuery,
  status: z.enum(['active', 'archived']).optional(),
  costBearer: z.enum(['vendor', 'partner']).optional(),
  currency: Currency.optional(),
  partnerId: Id.optional(),
  order: z.enum(['newest', 'oldest']).default('newest'),
});

export const TemplateJson = z
  .object({
    id: Id,
    tenantId: Id,
    partnerId: Id,
    name: z.string(),
    description: z.string(),
    currency: z.string(),
    faceValue: z.string(),
    costBearer: z.enum(['vendor', 'partner']),
    issueLimit: z.enum(['once', 'unlimited']),
    validity: z.union([
      z.object({ kind: z.literal('fixed'), from: z.string(), until: z.string() }),
      z.object({ kind: z.literal('relative'), days: z.number() }),
    ]),
    usage: z.enum(['one_time', 'reusable']),
    productCodes: z.array(z.string()),
    billingModes: z.array(z.string()),
    scenarios: z.array(z.string()),
    minSpend: z.string().nullable(),
    maxDurationMonths: z.number().nullable(),
    allowPromotional: z.boolean(),
    cap: z.object({ count: z.number().nullable(), amount: z.string().nullable() }).nullable(),
    committed: z.object({ count: z.number(), amount: z.string() }).describe('Coupons and face value requested or issued so far'),
    status: z.enum(['active', 'archived']),
    issued: z.boolean().describe('Once issued, only name and description can change, and it can be archived, never deleted'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Template');
export const TemplatePage = page(TemplateJson).openapi('TemplatePage');
