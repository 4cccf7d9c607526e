import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Ctx } from '../../auth/context';
import { AppError } from '../../shared/errors';
import { authorize, findReadable } from '../../auth/scope';
import { inTransaction } from '../../db/tx';
import { recordAudit } from '../../audit/record-audit';
import { insertUser } from '../users/insert-user';
import { Account } from '../accounts/account.entity';
import { Partner } from './partner.entity';
import { partnerJson, type CreatePartnerBody } from './partner.schema';
import { userJson } from '../users/user.schema';
import { accountJson } from '../accounts/account.schema';
import { assertAssignableBd } from './assert-assignable-bd';

/**
 * A platform admin creates a tier-1 distributor; a distributor's admin creates a tier-2 reseller
 * under it, which also opens the reseller's billing account (kind `reseller`) among the
 * distributor's subaccounts. Either way the first partner_admin is created with it.
 */
export async function createPartner(ctx: Ctx, body: z.output<typeof CreatePartnerBody>) {
  return inTransaction(ctx.ds, async (em) => {
    const id = randomUUID();
    let candidate: Pick<Partner, 'id' | 'tenantId' | 'tier' | 'parentId' | 'bdUserId'>;
    if (body.parentId) {
      const parent = await findReadable(ctx, em, Partner, 'Partner', body.parentId, { lock: true });
      candidate = { id, tenantId: parent.tenantId, tier: 2, parentId: parent.id, bdUserId: null };
      authorize(ctx, 'create', 'Partner', candidate);
      if (parent.tier !== 1) throw new AppError('tier_rule', 'a reseller sits under a tier-1 partner', { field: 'body.parentId' });
      if (parent.status !== 'active') throw new AppError('partner_inactive', 'the parent partner is deactivated', { field: 'body.parentId' });
      if (body.bdUserId) throw new AppError('tier_rule', 'a tier-2 reseller has no BD of its own', { field: 'body.bdUserId' });
    } else {
      candidate = { id, tenantId: id, tier: 1, parentId: null, bdUserId: body.bdUserId ?? null };
      authorize(ctx, 'create', 'Partner', candidate);
    }
    if (candidate.bdUserId) await assertAssignableBd(em, candidate.bdUserId);

    await em.query(
      `INSERT INTO partners (tenant_id, id, tier, parent_id, bd_user_id, name) VALUES ($1, $2, $3, $4, $5, $6)`,
      [candidate.tenantId, id, candidate.tier, candidate.parentId, candidate.bdUserId, body.name],
    );
    await recordAudit(em, ctx.actor, [{ tenantId: candidate.tenantId, objectType: 'partner', objectId: id, action: 'created', to: 'active' }]);
    let resellerAccount: Account | null = null;
    if (candidate.parentId) {
      const [acc] = await em.query(
        `INSERT INTO accounts (tenant_id, partner_id, kind, reseller_partner_id, name) VALUES ($1, $2, 'reseller', $3, $4) RETURNING id`,
        [candidate.tenantId, candidate.parentId, id, body.name],
      );
      await recordAudit(em, ctx.actor, [{ tenantId: candidate.tenantId, objectType: 'account', objectId: acc.id, action: 'created', to: 'active' }]);
      resellerAccount = await em.getRepository(Account).findOneByOrFail({ tenantId: candidate.tenantId, id: acc.id });
    }
    const admin = await insertUser(em, ctx.actor, {
      ...body.admin,
      role: 'partner_admin',
      tenantId: candidate.tenantId,
      partnerId: id,
      accountId: null,
    });
    const partner = await em.getRepository(Partner).findOneByOrFail({ tenantId: candidate.tenantId, id });
    return {
      ...partnerJson(partner),
      admin: userJson(admin),
      resellerAccount: resellerAccount ? accountJson(resellerAccount) : null,
    };
  });
}
