import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { authorize, findReadable, listQuery } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { recordAudit } from '../audit/record-audit';
import { paginate, whereEquals } from '../db/pagination';
import { unknownProducts } from '../catalog/catalog';
import { Partner } from '../tenancy/partners/partner.entity';
import { CouponTemplate } from './template.entity';
import { templateJson } from './template-json';
import { templateIssues, type CreateTemplateBody, type Draft, type ListTemplatesQuery, type UpdateTemplateBody } from './template.schema';

function columns(d: Draft) {
  return {
    name: d.name,
    description: d.description,
    currency: d.currency,
    faceValue: d.faceValue,
    costBearer: d.costBearer,
    issueLimit: d.issueLimit,
    validityKind: d.validity.kind,
    validFrom: d.validity.kind === 'fixed' ? d.validity.from : null,
    validUntil: d.validity.kind === 'fixed' ? d.validity.until : null,
    validDays: d.validity.kind === 'relative' ? d.validity.days : null,
    usage: d.usage,
    productCodes: d.productCodes,
    billingModes: d.billingModes,
    scenarios: d.scenarios,
    minSpend: d.minSpend,
    maxDurationMonths: d.maxDurationMonths,
    allowPromotional: d.allowPromotional,
    capCount: d.cap?.count ?? null,
    capAmount: d.cap?.amount ?? null,
  };
}

async function assertProductsExist(em: EntityManager, codes: string[]): Promise<void> {
  const unknown = await unknownProducts({ ds: em.connection }, codes);
  if (unknown.length) throw new AppError('unknown_product', 'unknown product codes', { field: 'body.productCodes', codes: unknown });
}

/** R4: a partner designs a template. R6: the CASL ability refuses a tier-2 vendor-borne one. */
export async function createTemplate(ctx: Ctx, body: z.output<typeof CreateTemplateBody>, partnerId?: string) {
  return inTransaction(ctx.ds, async (em) => {
    const pid = partnerId ?? ctx.actor.partnerId;
    if (!pid) throw new AppError('field_required', 'partnerId is required', { field: 'body.partnerId' });
    const partner = await findReadable(ctx, em, Partner, 'Partner', pid);
    authorize(ctx, 'create', 'Template', { tenantId: partner.tenantId, partnerId: partner.id, costBearer: body.costBearer });
    await assertProductsExist(em, body.productCodes);
    const repo = em.getRepository(CouponTemplate);
    const saved = await repo.save(repo.create({ id: randomUUID(), tenantId: partner.tenantId, partnerId: partner.id, createdBy: ctx.actor.userId, ...columns(body) }));
    await recordAudit(em, ctx.actor, [{ tenantId: partner.tenantId, objectType: 'template', objectId: saved.id, action: 'created', to: 'active' }]);
    return templateJson(await repo.findOneByOrFail({ tenantId: partner.tenantId, id: saved.id }));
  });
}

export async function getTemplate(ctx: Ctx, id: string) {
  return templateJson(await findReadable(ctx, ctx.ds.manager, CouponTemplate, 'Template', id));
}

export async function listTemplates(ctx: Ctx, q: z.output<typeof ListTemplatesQuery>) {
  const qb = listQuery(ctx, ctx.ds.manager, CouponTemplate, 'Template');
  whereEquals(qb, { status: q.status, cost_bearer: q.costBearer, currency: q.currency, partner_id: q.partnerId });
  const result = await paginate(qb, { ...q, direction: q.order === 'newest' ? 'DESC' : 'ASC' });
  return { items: result.items.map(templateJson), nextCursor: result.nextCursor };
}

function toDraft(t: CouponTemplate): Draft {
  return {
    name: t.name, description: t.description, currency: t.currency, faceValue: t.faceValue, costBearer: t.costBearer,
    issueLimit: t.issueLimit, usage: t.usage, productCodes: t.productCodes, billingModes: t.billingModes as Draft['billingModes'],
    scenarios: t.scenarios as Draft['scenarios'], minSpend: t.minSpend, maxDurationMonths: t.maxDurationMonths,
    allowPromotional: t.allowPromotional,
    validity: t.validityKind === 'fixed' ? { kind: 'fixed', from: t.validFrom!, until: t.validUntil! } : { kind: 'relative', days: t.validDays! },
    cap: t.capCount === null && t.capAmount === null ? null : { count: t.capCount ?? undefined, amount: t.capAmount ?? undefined },
  };
}

/**
 * R8: until a template is first issued every field may change (the result is validated whole);
 * afterwards only its name and description, so no coupon's rules ever drift from its template's.
 */
export async function updateTemplate(ctx: Ctx, id: string, patch: z.output<typeof UpdateTemplateBody>) {
  return inTransaction(ctx.ds, async (em) => {
    const t = await findReadable(ctx, em, CouponTemplate, 'Template', id, { lock: true });
    authorize(ctx, 'update', 'Template', t);
    const repo = em.getRepository(CouponTemplate);
    const changed = Object.keys(patch);
    if (t.lockedAt) {
      const frozen = changed.filter((k) => k !== 'name' && k !== 'description');
      if (frozen.length) throw new AppError('template_locked', 'the template has been issued: only name and description can change', { fields: frozen });
      await repo.update({ tenantId: t.tenantId, id }, { ...patch, updatedAt: () => 'now()' } as never);
    } else {
      const merged: Draft = { ...toDraft(t), ...(patch as Partial<Draft>) };
      const issues = templateIssues(merged);
      if (issues.length) {
        const details = issues.map((i) => ({ field: ['body', ...i.path].join('.'), code: 'custom', message: i.message }));
        throw new AppError('validation_failed', `invalid body: ${details[0]!.field}`, details); // issues.length > 0
      }
      authorize(ctx, 'update', 'Template', { ...t, costBearer: merged.costBearer });
      await assertProductsExist(em, merged.productCodes);
      await repo.update({ tenantId: t.tenantId, id }, { ...columns(merged), updatedAt: () => 'now()' } as never);
    }
    await recordAudit(em, ctx.actor, [{ tenantId: t.tenantId, objectType: 'template', objectId: id, action: 'updated', reason: `changed: ${changed.join(', ')}` }]);
    return templateJson(await repo.findOneByOrFail({ tenantId: t.tenantId, id }));
  });
}

/** An archived template issues nothing more; its coupons are untouched (R8). */
export async function archiveTemplate(ctx: Ctx, id: string) {
  return inTransaction(ctx.ds, async (em) => {
    const t = await findReadable(ctx, em, CouponTemplate, 'Template', id, { lock: true });
    authorize(ctx, 'archive', 'Template', t);
    if (t.status === 'archived') throw new AppError('already_archived', 'the template is already archived');
    await em.getRepository(CouponTemplate).update({ tenantId: t.tenantId, id }, { status: 'archived', updatedAt: () => 'now()' });
    await recordAudit(em, ctx.actor, [{ tenantId: t.tenantId, objectType: 'template', objectId: id, action: 'archived', from: 'active', to: 'archived' }]);
    return templateJson(await em.getRepository(CouponTemplate).findOneByOrFail({ tenantId: t.tenantId, id }));
  });
}
