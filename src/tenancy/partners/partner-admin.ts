import type { z } from 'zod';
import type { Ctx } from '../../auth/context';
import { AppError } from '../../shared/errors';
import { authorize, findReadable, listQuery } from '../../auth/scope';
import { inTransaction } from '../../db/tx';
import { recordAudit } from '../../audit/record-audit';
import { enqueueJob } from '../../jobs/outbox';
import { paginate, whereEquals } from '../../db/pagination';
import { deactivate } from '../deactivate';
import { Partner } from './partner.entity';
import { partnerJson, type ListPartnersQuery, type UpdatePartnerBody } from './partner.schema';
import { assertAssignableBd } from './assert-assignable-bd';

export async function getPartner(ctx: Ctx, id: string) {
  return partnerJson(await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', id));
}

export async function listPartners(ctx: Ctx, q: z.output<typeof ListPartnersQuery>) {
  const qb = listQuery(ctx, ctx.ds.manager, Partner, 'Partner');
  whereEquals(qb, { tier: q.tier, status: q.status, parent_id: q.parentId });
  const result = await paginate(qb, q);
  return { items: result.items.map(partnerJson), nextCursor: result.nextCursor };
}

/** Rename (partner admins) or assign the BD (platform admins; CASL decides per field). */
export async function updatePartner(ctx: Ctx, id: string, body: z.output<typeof UpdatePartnerBody>) {
  return inTransaction(ctx.ds, async (em) => {
    const partner = await findReadable(ctx, em, Partner, 'Partner', id, { lock: true });
    for (const field of Object.keys(body)) authorize(ctx, 'update', 'Partner', partner, field);
    if (body.bdUserId !== undefined) {
      if (partner.tier !== 1) throw new AppError('tier_rule', 'only a tier-1 partner is assigned a BD', { field: 'body.bdUserId' });
      if (body.bdUserId) await assertAssignableBd(em, body.bdUserId);
      await recordAudit(em, ctx.actor, [
        { tenantId: partner.tenantId, objectType: 'partner', objectId: id, action: 'bd_assigned', from: partner.bdUserId, to: body.bdUserId },
      ]);
    }
    await em
      .getRepository(Partner)
      .update({ tenantId: partner.tenantId, id }, { ...body, updatedAt: () => 'now()' });
    return partnerJson(await em.getRepository(Partner).findOneByOrFail({ tenantId: partner.tenantId, id }));
  });
}

/**
 * Its users lose access at once (authentication checks the partner and the tree's root); the
 * rest of the tree (resellers, accounts, users, tokens) follows in a job, as it may be large.
 */
export async function deactivatePartner(ctx: Ctx, id: string, reason: string) {
  const partner = await deactivate(ctx, { entity: Partner, subject: 'Partner', auditType: 'partner' }, id, reason, async (em, p) => {
    await enqueueJob(
      em,
      'tenancy.deactivate-partner-tree',
      p.id,
      { tenantId: p.tenantId, partnerId: p.id, actorUserId: ctx.actor.userId, reason },
      { tenantId: p.tenantId },
    );
  });
  return partnerJson(partner);
}
