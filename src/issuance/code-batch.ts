import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { findReadable } from '../auth/scope';
import { IssuanceRequest } from './issuance-request.entity';
import type { BatchQuery } from './activation.schema';

interface BatchRow {
  coupon_id: string;
  state: 'pending' | 'activated' | 'expired';
  coupon_status: string;
  account_id: string | null;
  account_name: string | null;
  activated_at: Date | null;
  face_value: string;
  balance: string;
  valid_until: Date;
}

/**
 * R12, R31: the partner's view of an offline batch: each coupon, whether it is still pending, by
 * which account it was activated and what is left of it. Never the codes: they are not stored.
 */
export async function listBatch(ctx: Ctx, requestId: string, q: z.output<typeof BatchQuery>) {
  const r = await findReadable(ctx, ctx.ds.manager, IssuanceRequest, 'IssuanceRequest', requestId);
  let after: string | null = null;
  if (q.cursor) {
    after = Buffer.from(q.cursor, 'base64url').toString('utf8');
    if (!/^[0-9a-f-]{36}$/.test(after)) throw new AppError('validation_failed', 'invalid cursor', [{ field: 'query.cursor', code: 'invalid_cursor', message: 'not a cursor this API issued' }]);
  }
  const rows: BatchRow[] = await ctx.ds.query(
    `SELECT * FROM (
       SELECT ac.coupon_id,
              CASE WHEN c.account_id IS NOT NULL THEN 'activated' WHEN c.status = 'pending_activation' THEN 'pending' ELSE 'expired' END AS state,
              c.status AS coupon_status, c.account_id, a.name AS account_name, ac.activated_at, c.face_value::text, c.balance::text, c.valid_until
         FROM activation_codes ac
         JOIN coupons c ON c.tenant_id = ac.tenant_id AND c.id = ac.coupon_id
         LEFT JOIN accounts a ON a.tenant_id = c.tenant_id AND a.id = c.account_id
        WHERE ac.tenant_id = $1 AND ac.request_id = $2 AND ($4::uuid IS NULL OR ac.coupon_id > $4)) x
      WHERE ($3::text IS NULL OR x.state = $3)
      ORDER BY x.coupon_id LIMIT $5`,
    [r.tenantId, r.id, q.state ?? null, after, q.limit + 1],
  );
  const items = rows.slice(0, q.limit).map((b) => ({
    couponId: b.coupon_id,
    state: b.state,
    couponStatus: b.coupon_status,
    accountId: b.account_id,
    accountName: b.account_name,
    activatedAt: b.activated_at?.toISOString() ?? null,
    faceValue: b.face_value,
    balance: b.balance,
    validUntil: b.valid_until.toISOString(),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? Buffer.from(last.couponId).toString('base64url') : null };
}
