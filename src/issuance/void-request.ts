import type { Ctx } from '../auth/context';
import { authorize, findReadable } from '../auth/scope';
import { scopeSqlPositional } from '../auth/ability-sql';
import { inTransaction } from '../db/tx';
import { recordAudit } from '../audit/record-audit';
import { AppError } from '../shared/errors';
import { Coupon } from '../coupons/coupon.entity';
import { revokeOpenCoupons } from '../coupons/void-coupons';
import type { VoidSummaryJson } from '../coupons/void.schema';
import { IssuanceRequest } from './issuance-request.entity';
import { first } from '../db/rows';

/**
 * R35: void every open coupon of an issued request (up to 10,000) in one call: one set-based
 * statement (src/coupons/void-coupons.ts), no round trip per coupon. Used and expired coupons stay
 * as they are and are counted; revoked ones too, so a second call changes nothing. The request
 * itself keeps its status; its history gets one row saying how many were voided and why (R11).
 */
export async function voidRequest(ctx: Ctx, id: string, reason: string): Promise<VoidSummaryJson> {
  return inTransaction(ctx.ds, async (em) => {
    const r = await findReadable(ctx, em, IssuanceRequest, 'IssuanceRequest', id);
    // The request's coupons as CASL sees them: the partner's, of the request's kind.
    authorize(ctx, 'void', 'Coupon', { tenantId: r.tenantId, partnerId: r.partnerId, origin: r.kind === 'accounts' ? 'issuance' : 'activation_code' });
    if (r.status !== 'issued' && r.status !== 'issued_with_failures') {
      throw new AppError('request_not_issued', `the request is ${r.status}: only an issued request's coupons can be voided (cancel a request before its decision)`, { status: r.status });
    }
    const done = await revokeOpenCoupons(ctx, em, (values) => {
      values.push(r.tenantId, r.id);
      const [tenant, request] = [values.length - 1, values.length];
      const mine = scopeSqlPositional(ctx.ability, 'void', 'Coupon', 'c', em.connection.getMetadata(Coupon), values);
      return `c.tenant_id = $${tenant} AND c.request_id = $${request} AND ${mine}`;
    }, reason);
    const after = first<{ revoked: number; closed: number }>(await em.query(
      `SELECT count(*) FILTER (WHERE status = 'revoked')::int AS revoked, count(*) FILTER (WHERE status IN ('used', 'expired') OR (status <> 'revoked' AND valid_until <= now()))::int AS closed
         FROM coupons WHERE tenant_id = $1 AND request_id = $2`,
      [r.tenantId, r.id],
    ), 'the counts');
    if (done.voided > 0) {
      await recordAudit(em, ctx.actor, [{ tenantId: r.tenantId, objectType: 'issuance_request', objectId: r.id, action: 'coupons_voided', reason: `${done.voided} ${done.voided === 1 ? 'coupon' : 'coupons'} voided: ${reason}` }]);
    }
    return { ...done, alreadyRevoked: after.revoked - done.voided, notOpen: after.closed };
  });
}
