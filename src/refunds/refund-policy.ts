import { ForbiddenError } from '@casl/ability';
import type { Ctx } from '../auth/context';
import { updateReturning } from '../db/tx';
import { first } from '../db/rows';

interface PolicyRow {
  policy: 'none' | 'proportional';
  updated_at: Date;
  updated_by: string | null;
}
const policyJson = (r: PolicyRow) => ({ policy: r.policy, updatedAt: r.updated_at.toISOString(), updatedBy: r.updated_by });

/** R28: the platform's refund policy, one row (a migration made it), read and set by the platform admins. */
export async function getRefundPolicy(ctx: Ctx) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'RefundPolicy');
  return policyJson(first<PolicyRow>(await ctx.ds.query(`SELECT policy, updated_at, updated_by FROM refund_policy`), 'refund policy'));
}

export async function setRefundPolicy(ctx: Ctx, policy: 'none' | 'proportional') {
  ForbiddenError.from(ctx.ability).throwUnlessCan('update', 'RefundPolicy');
  const row = first(await updateReturning<PolicyRow>(
    ctx.ds,
    `UPDATE refund_policy SET policy = $1, updated_by = $2, updated_at = date_trunc('milliseconds', now()) RETURNING policy, updated_at, updated_by`,
    [policy, ctx.actor.userId],
  ), 'refund policy');
  ctx.log.info({ policy }, 'refund policy set');
  return policyJson(row);
}
