import type { z } from '../shared/zod';
import type { CouponTemplate } from './template.entity';
import type { TemplateJson } from './template.schema';

export function templateJson(t: CouponTemplate): z.infer<typeof TemplateJson> {
  return {
    id: t.id,
    tenantId: t.tenantId,
    partnerId: t.partnerId,
    name: t.name,
    description: t.description,
    currency: t.currency,
    faceValue: t.faceValue.toString(),
    costBearer: t.costBearer,
    issueLimit: t.issueLimit,
    validity:
      t.validityKind === 'fixed'
        ? { kind: 'fixed', from: t.validFrom!.toISOString(), until: t.validUntil!.toISOString() }
        : { kind: 'relative', days: t.validDays! },
    usage: t.usage,
    productCodes: t.productCodes,
    billingModes: t.billingModes,
    scenarios: t.scenarios,
    minSpend: t.minSpend?.toString() ?? null,
    maxDurationMonths: t.maxDurationMonths,
    allowPromotional: t.allowPromotional,
    cap: t.capCount === null && t.capAmount === null ? null : { count: t.capCount, amount: t.capAmount?.toString() ?? null },
    committed: { count: t.committedCount, amount: t.committedAmount.toString() },
    status: t.status,
    issued: t.lockedAt !== null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
