import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { conflict } from '../shared/errors';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { recordAudit } from '../audit/record-audit';
import type { Action } from '../auth/abilities';
import type { Actor } from '../auth/actor';
import { IssuanceRequest, type RequestStatus } from './issuance-request.entity';
import { requestJson } from './issuance.schema';
import { releaseReservations } from './release-reservations';
import { enqueueJob } from '../jobs/outbox';

/** A state change of a request with its audit row; reservations are released when it ends unissued. */
export async function transition(
  em: EntityManager,
  actor: Actor | null,
  r: IssuanceRequest,
  to: RequestStatus,
  reason: string | null,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await em.getRepository(IssuanceRequest).update({ tenantId: r.tenantId, id: r.id }, { status: to, updatedAt: () => 'now()', ...extra });
  await recordAudit(em, actor, [{ tenantId: r.tenantId, objectType: 'issuance_request', objectId: r.id, action: to, from: r.status, to, reason }]);
  if (to === 'rejected' || to === 'cancelled' || to === 'expired') await releaseReservations(em, r, null);
}

/**
 * After approval: coupons to named accounts are issued by the `issuance.issue` job; an offline
 * request (R31) waits for its partner to generate the codes, which are shown once, in that answer.
 */
export async function startIssuing(em: EntityManager, r: IssuanceRequest): Promise<void> {
  if (r.kind === 'activation_codes') return;
  await enqueueJob(em, 'issuance.issue', r.id, { tenantId: r.tenantId, requestId: r.id }, { tenantId: r.tenantId });
}

async function decide(ctx: Ctx, id: string, action: Action, work: (em: EntityManager, r: IssuanceRequest) => Promise<void>) {
  return inTransaction(ctx.ds, async (em) => {
    const r = await findReadable(ctx, em, IssuanceRequest, 'IssuanceRequest', id, { lock: true });
    authorize(ctx, action, 'IssuanceRequest', r);
    await work(em, r);
    return requestJson(await em.getRepository(IssuanceRequest).findOneByOrFail({ tenantId: r.tenantId, id }));
  });
}

function assertPending(r: IssuanceRequest): void {
  if (r.status !== 'pending_approval') throw conflict(`the request is ${r.status}: a decision is final and only a pending request takes one`);
  if (r.expiresAt && r.expiresAt <= new Date()) throw conflict('the approval window has passed');
}

/** R2, R9: the partner's BD approves; issuance follows as a job (R31: or the partner generates the codes). */
export function approveRequest(ctx: Ctx, id: string) {
  return decide(ctx, id, 'decide', async (em, r) => {
    assertPending(r);
    await transition(em, ctx.actor, r, 'approved', null, { decidedBy: ctx.actor.userId, decidedAt: () => 'now()' });
    await startIssuing(em, r);
  });
}

/** R9: rejected with a reason; nothing is issued and what was reserved comes back. */
export function rejectRequest(ctx: Ctx, id: string, reason: string) {
  return decide(ctx, id, 'decide', async (em, r) => {
    assertPending(r);
    await transition(em, ctx.actor, r, 'rejected', reason, { decidedBy: ctx.actor.userId, decidedAt: () => 'now()', decisionReason: reason });
  });
}

/** R9: the partner withdraws its request, only before a decision. */
export function cancelRequest(ctx: Ctx, id: string) {
  return decide(ctx, id, 'cancel', async (em, r) => {
    if (r.status !== 'pending_approval' && r.status !== 'submitted') throw conflict(`the request is ${r.status}: only a request awaiting a decision can be cancelled`);
    await transition(em, ctx.actor, r, 'cancelled', 'cancelled by the partner');
  });
}
