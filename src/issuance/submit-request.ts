import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { authorize, authorizeGrants, findReadable } from '../auth/scope';
import { inTransaction, updateReturning } from '../db/tx';
import { recordAudit } from '../audit/record-audit';
import { enqueueJob } from '../jobs/outbox';
import { CouponTemplate } from '../templates/template.entity';
import { IssuanceRequest } from './issuance-request.entity';
import { requestJson, type SubmitRequestBody } from './issuance.schema';
import { budgetForRequest, reserveForRequest } from '../budgets/request-budget';

interface AccountRow {
  id: string;
  kind: 'customer' | 'reseller';
  status: string;
}

/**
 * R9: a partner issues a template to 1..10,000 of its own subaccounts, or (R31) asks for 1..10,000
 * coupons with activation codes. In one transaction: the accounts are checked (not yours =
 * unknown), R6 per account through CASL, R7 claims (a unique key, so concurrent submissions cannot
 * both get one), the template cap and the budget (R5, R36) reserved by conditional updates for
 * every coupon; then routing leaves through the outbox. A code request names no account: R6 and
 * R7 per account are judged when a code is activated (see activate-code.ts).
 */
export async function submitRequest(ctx: Ctx, body: z.output<typeof SubmitRequestBody>) {
  // Sorted: claims are taken in one order by everyone, so overlapping requests cannot deadlock.
  const accountIds = body.accountIds ? [...new Set(body.accountIds)].sort() : null;
  const count = accountIds ? accountIds.length : body.codeCount!;
  return inTransaction(ctx.ds, async (em) => {
    const t = await findReadable(ctx, em, CouponTemplate, 'Template', body.templateId);
    authorize(ctx, 'create', 'IssuanceRequest', { tenantId: t.tenantId, partnerId: t.partnerId, costBearer: t.costBearer });
    if (t.status !== 'active') throw new AppError('template_archived', 'the template is archived');
    if (t.validityKind === 'fixed' && t.validUntil! <= new Date()) throw new AppError('validity_ended', 'the template\'s validity window has ended');
    if (accountIds) await checkAccounts(ctx, em, t, accountIds);

    const id = randomUUID();
    const total = t.faceValue * BigInt(count);
    const budgetId = await budgetForRequest(em, t);
    await em.query(
      `INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, kind, cost_bearer, currency, face_value, total_accounts,
                                      total_face_value, status, submitted_by, budget_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11, $12)`,
      [t.tenantId, id, t.partnerId, t.id, accountIds ? 'accounts' : 'activation_codes', t.costBearer, t.currency, t.faceValue.toString(),
        count, total.toString(), ctx.actor.userId, budgetId],
    );
    if (accountIds) await nameAccounts(em, t, id, accountIds);
    const capped = await updateReturning<{ id: string }>(em,
      `UPDATE coupon_templates SET committed_count = committed_count + $3, committed_amount = committed_amount + $4,
              locked_at = coalesce(locked_at, now()), updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND status = 'active'
          AND (cap_count IS NULL OR committed_count + $3 <= cap_count)
          AND (cap_amount IS NULL OR committed_amount + $4 <= cap_amount)
       RETURNING id`,
      [t.tenantId, t.id, count, total.toString()],
    );
    if (capped.length === 0) throw new AppError('template_cap_reached', 'the template\'s total cap does not allow this many coupons');
    await reserveForRequest(em, { tenantId: t.tenantId, id, budgetId, costBearer: t.costBearer, currency: t.currency }, total);

    await recordAudit(em, ctx.actor, [{ tenantId: t.tenantId, objectType: 'issuance_request', objectId: id, action: 'submitted', to: 'submitted' }]);
    await enqueueJob(em, 'issuance.route', id, { tenantId: t.tenantId, requestId: id }, { tenantId: t.tenantId });
    return requestJson(await em.getRepository(IssuanceRequest).findOneByOrFail({ tenantId: t.tenantId, id }));
  });
}

/** Every account is this partner's (not yours = unknown, R1), active, and may get this coupon (R6). */
async function checkAccounts(ctx: Ctx, em: EntityManager, t: CouponTemplate, accountIds: string[]) {
  const found: AccountRow[] = await em.query(
    `SELECT id, kind, status FROM accounts WHERE tenant_id = $1 AND partner_id = $2 AND id = ANY($3::uuid[])`,
    [t.tenantId, t.partnerId, accountIds],
  );
  const known = new Set(found.map((a) => a.id));
  const unknown = accountIds.filter((id) => !known.has(id));
  // Not yours and not there read the same (R1): one list, one code.
  if (unknown.length) throw new AppError('unknown_accounts', 'some accounts are not subaccounts of this partner', { accountIds: unknown });
  const inactive = found.filter((a) => a.status !== 'active').map((a) => a.id);
  if (inactive.length) throw new AppError('account_deactivated', 'some accounts are deactivated', { accountIds: inactive });
  authorizeGrants(ctx, t.costBearer, found, 'these accounts cannot receive this coupon');
}

/** The request's items and, for a `once` template, the R7 claims on its accounts. */
async function nameAccounts(em: EntityManager, t: CouponTemplate, id: string, accountIds: string[]) {
  await em.query(
    `INSERT INTO issuance_items (tenant_id, request_id, account_id) SELECT $1, $2, a FROM unnest($3::uuid[]) a`,
    [t.tenantId, id, accountIds],
  );
  if (t.issueLimit !== 'once') return;
  const claimed: { account_id: string }[] = await em.query(
    `INSERT INTO template_account_claims (tenant_id, template_id, account_id, request_id)
     SELECT $1, $2, a, $3 FROM unnest($4::uuid[]) a ORDER BY a
     ON CONFLICT DO NOTHING RETURNING account_id`,
    [t.tenantId, t.id, id, accountIds],
  );
  if (claimed.length < accountIds.length) {
    const got = new Set(claimed.map((c) => c.account_id));
    throw new AppError('issue_limit_reached', 'this template is limited to once per account: some accounts already have it or an open request names them', {
      accountIds: accountIds.filter((a) => !got.has(a)),
    });
  }
}
