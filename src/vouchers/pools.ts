import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { authorize, findReadable, listQuery } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { first } from '../db/rows';
import { paginate, whereEquals } from '../db/pagination';
import { Partner } from '../tenancy/partners/partner.entity';
import { VoucherPool } from './voucher-pool.entity';
import type { GrantPoolBody, ListPoolsQuery } from './voucher.schema';

export const poolJson = (p: VoucherPool) => ({
  id: p.id,
  partnerId: p.partnerId,
  currency: p.currency,
  granted: p.granted.toString(),
  balance: p.balance.toString(),
  validFrom: p.validFrom.toISOString(),
  validUntil: p.validUntil.toISOString(),
  note: p.note,
  createdAt: p.createdAt.toISOString(),
});

/** R32: the platform admin grants a partner a quota; its ledger opens with a `grant` row. */
export async function grantPool(ctx: Ctx, body: z.output<typeof GrantPoolBody>) {
  authorize(ctx, 'create', 'VoucherPool', {});
  const validFrom = body.validFrom ?? new Date();
  if (body.validUntil <= validFrom) throw new AppError('invalid_window', 'validUntil must be after validFrom', { field: 'body.validUntil' });
  if (body.validUntil <= new Date()) throw new AppError('invalid_window', 'validUntil must be in the future', { field: 'body.validUntil' });
  return inTransaction(ctx.ds, async (em) => {
    const partner = await findReadable(ctx, em, Partner, 'Partner', body.partnerId);
    if (partner.status !== 'active') throw new AppError('partner_inactive', 'the partner is deactivated');
    authorize(ctx, 'create', 'VoucherPool', { partnerTier: partner.tier }); // R6: never to a tier-2 reseller
    const granted: { id: string }[] = await em.query(
      `WITH p AS (
         INSERT INTO voucher_pools (tenant_id, partner_id, currency, granted, balance, valid_from, valid_until, note, granted_by)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8) RETURNING tenant_id, id, balance
       )
       INSERT INTO voucher_pool_ledger (tenant_id, pool_id, type, amount, balance_after, actor_user_id)
       SELECT tenant_id, id, 'grant', balance, balance, $8 FROM p RETURNING pool_id AS id`,
      [partner.tenantId, partner.id, body.currency, body.amount.toString(), validFrom, body.validUntil, body.note, ctx.actor.userId],
    );
    return poolJson(await em.getRepository(VoucherPool).findOneByOrFail({ tenantId: partner.tenantId, id: first(granted, 'the new pool').id }));
  });
}

export async function listPools(ctx: Ctx, q: z.output<typeof ListPoolsQuery>) {
  const qb = whereEquals(listQuery(ctx, ctx.ds.manager, VoucherPool, 'VoucherPool'), { partner_id: q.partnerId });
  const page = await paginate(qb, { ...q, direction: 'DESC' });
  return { items: page.items.map(poolJson), nextCursor: page.nextCursor };
}

export async function getPool(ctx: Ctx, id: string) {
  return poolJson(await findReadable(ctx, ctx.ds.manager, VoucherPool, 'VoucherPool', id));
}

export async function poolLedger(ctx: Ctx, id: string) {
  const pool = await findReadable(ctx, ctx.ds.manager, VoucherPool, 'VoucherPool', id);
  const rows: { id: string; at: Date; type: 'grant' | 'generate' | 'reclaim'; amount: string; balance_after: string; coupon_id: string | null }[] =
    await ctx.ds.query(
      `SELECT l.id::text AS id, l.at, l.type, l.amount::text, l.balance_after::text, l.coupon_id FROM voucher_pool_ledger l
        WHERE l.tenant_id = $1 AND l.pool_id = $2 ORDER BY l.id`,
      [pool.tenantId, pool.id],
    );
  return { items: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), type: r.type, amount: r.amount, balanceAfter: r.balance_after, voucherId: r.coupon_id })) };
}
