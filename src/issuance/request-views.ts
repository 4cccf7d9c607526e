import type { z } from 'zod';
import { IsNull, Not } from 'typeorm';
import type { Ctx } from '../auth/context';
import { findReadable, listQuery } from '../auth/scope';
import { paginate, whereEquals } from '../db/pagination';
import { AppError } from '../shared/errors';
import { CouponTemplate } from '../templates/template.entity';
import { templateJson } from '../templates/template-json';
import { IssuanceRequest } from './issuance-request.entity';
import { requestJson, type ItemsQuery, type ListRequestsQuery, type QueueQuery } from './issuance.schema';

/** R12: the partner's requests, with status and progress. */
export async function listRequests(ctx: Ctx, q: z.output<typeof ListRequestsQuery>) {
  const qb = listQuery(ctx, ctx.ds.manager, IssuanceRequest, 'IssuanceRequest');
  whereEquals(qb, { status: q.status, template_id: q.templateId });
  const page = await paginate(qb, { ...q, direction: 'DESC' });
  return { items: page.items.map(requestJson), nextCursor: page.nextCursor };
}

export async function getRequest(ctx: Ctx, id: string) {
  return requestJson(await findReadable(ctx, ctx.ds.manager, IssuanceRequest, 'IssuanceRequest', id));
}

interface ItemRow {
  account_id: string;
  account_name: string;
  status: 'pending' | 'issued' | 'failed';
  failure_reason: string | null;
  coupon_id: string | null;
  coupon_status: string | null;
  face_value: string | null;
  balance: string | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  used: string | null;
}

/**
 * R12: per subaccount, the coupon, its status, amount used and balance left; or why it failed.
 * A voided coupon (R35) shows when and why; its used part stays used, what it had left is gone.
 */
export async function listItems(ctx: Ctx, id: string, q: z.output<typeof ItemsQuery>) {
  const r = await findReadable(ctx, ctx.ds.manager, IssuanceRequest, 'IssuanceRequest', id);
  let after: string | null = null;
  if (q.cursor) {
    after = Buffer.from(q.cursor, 'base64url').toString('utf8');
    if (!/^[0-9a-f-]{36}$/.test(after)) throw new AppError('validation_failed', 'invalid cursor', [{ field: 'query.cursor', code: 'invalid_cursor', message: 'not a cursor this API issued' }]);
  }
  const rows: ItemRow[] = await ctx.ds.query(
    `SELECT x.*, u.used::text FROM (
       SELECT * FROM (
         SELECT i.account_id, a.name AS account_name,
                CASE WHEN c.id IS NOT NULL THEN 'issued' WHEN f.reason IS NOT NULL THEN 'failed' ELSE 'pending' END AS status,
                f.reason AS failure_reason, c.id AS coupon_id, c.status AS coupon_status, c.face_value::text, c.balance::text,
                c.revoked_at, c.revoked_reason
           FROM issuance_items i
           JOIN accounts a ON a.tenant_id = i.tenant_id AND a.id = i.account_id
           LEFT JOIN coupons c ON c.tenant_id = i.tenant_id AND c.request_id = i.request_id AND c.account_id = i.account_id
           LEFT JOIN issuance_failures f ON f.tenant_id = i.tenant_id AND f.request_id = i.request_id AND f.account_id = i.account_id
          WHERE i.tenant_id = $1 AND i.request_id = $2 AND ($4::uuid IS NULL OR i.account_id > $4)) y
        WHERE ($3::text IS NULL OR y.status = $3)
        ORDER BY y.account_id LIMIT $5) x
     -- Used = what payments took, net of refunds, for the page's coupons only: a write-off (expiry,
     -- a void) is not use, so the used part of a revoked coupon stays used (R35).
     LEFT JOIN LATERAL (
       SELECT coalesce(-sum(l.amount), 0) AS used FROM coupon_ledger l
        WHERE l.tenant_id = $1 AND l.coupon_id = x.coupon_id AND l.type IN ('deduct', 'return')
     ) u ON x.coupon_id IS NOT NULL
     ORDER BY x.account_id`,
    [r.tenantId, r.id, q.status ?? null, after, q.limit + 1],
  );
  const items = rows.slice(0, q.limit).map((i) => ({
    accountId: i.account_id,
    accountName: i.account_name,
    status: i.status,
    failureReason: i.failure_reason,
    coupon: i.coupon_id
      ? {
          id: i.coupon_id,
          status: i.coupon_status!,
          faceValue: i.face_value!,
          used: i.used!,
          balance: i.balance!,
          revokedAt: i.revoked_at?.toISOString() ?? null,
          revokedReason: i.revoked_reason,
        }
      : null,
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? Buffer.from(last.accountId).toString('base64url') : null };
}

/** R2: the BD's queue: pending requests of its partners, oldest first, with their age. */
export async function approvalQueue(ctx: Ctx, q: z.output<typeof QueueQuery>) {
  const qb = listQuery(ctx, ctx.ds.manager, IssuanceRequest, 'IssuanceRequest').andWhere(`x.status = 'pending_approval'`);
  whereEquals(qb, { partner_id: q.partnerId, cost_bearer: q.costBearer });
  if (q.minTotal !== undefined) qb.andWhere('x.total_face_value >= :minTotal', { minTotal: q.minTotal.toString() });
  if (q.maxTotal !== undefined) qb.andWhere('x.total_face_value <= :maxTotal', { maxTotal: q.maxTotal.toString() });
  const page = await paginate(qb, q);
  const now = Date.now();
  return {
    items: page.items.map((r) => ({ ...requestJson(r), ageSeconds: Math.floor((now - r.createdAt.getTime()) / 1000) })),
    nextCursor: page.nextCursor,
  };
}

/** R2: what a BD needs to decide: the template, the size, and the partner's past decisions. */
export async function queueDetail(ctx: Ctx, id: string) {
  const r = await findReadable(ctx, ctx.ds.manager, IssuanceRequest, 'IssuanceRequest', id);
  const template = await ctx.ds.getRepository(CouponTemplate).findOneByOrFail({ tenantId: r.tenantId, id: r.templateId });
  const [partner] = await ctx.ds.query(`SELECT name FROM partners WHERE tenant_id = $1 AND id = $2`, [r.tenantId, r.partnerId]);
  const counts: { status: string; n: number }[] = await ctx.ds.query(
    `SELECT status, count(*)::int AS n FROM issuance_requests
      WHERE tenant_id = $1 AND partner_id = $2 AND cost_bearer = 'vendor' AND id <> $3
        AND status IN ('approved','issuing','issued','issued_with_failures','rejected','expired')
      GROUP BY status`,
    [r.tenantId, r.partnerId, r.id],
  );
  const recent = await ctx.ds.getRepository(IssuanceRequest).find({
    where: { tenantId: r.tenantId, partnerId: r.partnerId, costBearer: 'vendor', decidedAt: Not(IsNull()) },
    order: { decidedAt: 'DESC' },
    take: 11,
  });
  const n = (s: string[]) => counts.filter((c) => s.includes(c.status)).reduce((a, c) => a + c.n, 0);
  return {
    request: { ...requestJson(r), ageSeconds: Math.floor((Date.now() - r.createdAt.getTime()) / 1000) },
    partner: { id: r.partnerId, name: partner.name as string },
    template: templateJson(template),
    pastDecisions: {
      approved: n(['approved', 'issuing', 'issued', 'issued_with_failures']),
      rejected: n(['rejected']),
      expired: n(['expired']),
      recent: recent
        .filter((x) => x.id !== r.id && x.decidedAt)
        .slice(0, 10)
        .map((x) => ({ id: x.id, status: x.status, currency: x.currency, totalFaceValue: x.totalFaceValue.toString(), decidedAt: x.decidedAt!.toISOString(), reason: x.decisionReason })),
    },
  };
}
