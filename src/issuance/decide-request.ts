import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import type { Action } from '../auth/abilities';
import { IssuanceRequest } from './issuance-request.entity';
import { requestJson } from './issuance.schema';
import { moveRequest } from './request-state';

async function decide(ctx: Ctx, id: string, action: Action, work: (em: EntityManager, r: IssuanceRequest) => Promise<void>) {
  return inTransaction(ctx.ds, async (em) => {
    const r = await findReadable(ctx, em, IssuanceRequest, 'IssuanceRequest', id, { lock: true });
    authorize(ctx, action, 'IssuanceRequest', r);
    await work(em, r);
    return requestJson(await em.getRepository(IssuanceRequest).findOneByOrFail({ tenantId: r.tenantId, id }));
  });
}

/** The table allows the decision only while pending; the window must also still be open (R9). */
function assertWindowOpen(r: IssuanceRequest): void {
  if (r.status === 'pending_approval' && r.expiresAt && r.expiresAt <= new Date()) throw new AppError('approval_window_passed', 'the approval window has passed');
}

/** R2, R9: the partner's BD approves; issuance follows as a job (R31: or the partner generates the codes). */
export function approveRequest(ctx: Ctx, id: string) {
  return decide(ctx, id, 'decide', async (em, r) => {
    assertWindowOpen(r);
    await moveRequest(em, ctx.actor, r, 'approved', { set: { decidedBy: ctx.actor.userId, decidedAt: () => 'now()' } });
  });
}

/** R9: rejected with a reason; nothing is issued and what was reserved comes back. */
export function rejectRequest(ctx: Ctx, id: string, reason: string) {
  return decide(ctx, id, 'decide', async (em, r) => {
    assertWindowOpen(r);
    await moveRequest(em, ctx.actor, r, 'rejected', { reason, set: { decidedBy: ctx.actor.userId, decidedAt: () => 'now()', decisionReason: reason } });
  });
}

/** R9: the partner withdraws its request, only before a decision. */
export function cancelRequest(ctx: Ctx, id: string) {
  return decide(ctx, id, 'cancel', async (em, r) => {
    await moveRequest(em, ctx.actor, r, 'cancelled', { reason: 'cancelled by the partner' });
  });
}
