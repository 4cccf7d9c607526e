import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { AppError, notFound } from '../shared/errors';
import { authorize, authorizeGrants, findReadable, scopedQuery } from '../auth/scope';
import { inTransaction, updateReturning } from '../db/tx';
import { first } from '../db/rows';
import { recordAudit } from '../audit/record-audit';
import { Account } from '../tenancy/accounts/account.entity';
import { Coupon } from '../coupons/coupon.entity';
import { couponJson } from '../coupons/coupon-json';
import { couponChange, ledgerRows, revokedColumns } from '../coupons/ledger.sql';
import { VoucherPool } from './voucher-pool.entity';
import type { MakeVoucherBody } from './voucher.schema';

async function voucherJson(em: EntityManager, c: Coupon) {
  const holders: { account_id: string }[] = await em.query(
    `SELECT account_id FROM coupon_holders WHERE tenant_id = $1 AND coupon_id = $2 ORDER BY added_at, account_id`,
    [c.tenantId, c.id],
  );
  return { ...couponJson(c), holderIds: holders.map((h) => h.account_id) };
}

/** A voucher in the actor's scope (any other coupon, or another tenant's voucher: 404). */
async function findVoucher(ctx: Ctx, em: EntityManager, id: string, lock = false): Promise<Coupon> {
  const c = await findReadable(ctx, em, Coupon, 'Coupon', id, { lock });
  if (c.origin !== 'voucher') throw notFound('voucher');
  return c;
}

/**
 * The accounts a voucher may be shared with: the partner's own, that the actor may read. Any
 * other id reads as unknown, like a missing one (R1).
 */
async function addHolders(ctx: Ctx, em: EntityManager, voucher: Coupon, accountIds: string[]): Promise<void> {
  if (accountIds.length === 0) return;
  const known = await scopedQuery(ctx, em, Account, 'Account')
    .andWhere('x.id IN (:...ids)', { ids: accountIds })
    .andWhere('x.tenant_id = :t AND x.partner_id = :p', { t: voucher.tenantId, p: voucher.partnerId })
    .getMany();
  const unknown = accountIds.filter((id) => !known.some((a) => a.id === id));
  if (unknown.length) throw new AppError('unknown_accounts', "some accounts are not this partner's", { accountIds: unknown });
  const inactive = known.filter((a) => a.status !== 'active').map((a) => a.id);
  if (inactive.length) throw new AppError('account_deactivated', 'some accounts are deactivated', { accountIds: inactive });
  // R6: a voucher is a vendor-borne coupon, never held by a tier-2 reseller's own account; the
  // same CASL rule as for an issuance (CouponGrant) decides, account by account.
  authorizeGrants(ctx, voucher.costBearer, known, 'these accounts cannot hold this voucher');
  await em.query(
    `INSERT INTO coupon_holders (tenant_id, coupon_id, account_id, added_by)
     SELECT $1, $2, unnest($3::uuid[]), $4 ON CONFLICT DO NOTHING`,
    [voucher.tenantId, voucher.id, accountIds, ctx.actor.userId],
  );
}

/**
 * R32: a custom voucher from the partner's pool. The pool is debited by a conditional update
 * (never below zero, also under concurrent requests) in the same transaction that writes the
 * voucher, its `issue` ledger row and the pool's `generate` row.
 */
export async function makeVoucher(ctx: Ctx, poolId: string, body: z.output<typeof MakeVoucherBody>) {
  return inTransaction(ctx.ds, async (em) => {
    const pool = await findReadable(ctx, em, VoucherPool, 'VoucherPool', poolId);
    authorize(ctx, 'create', 'Voucher', { tenantId: pool.tenantId, partnerId: pool.partnerId });
    const now = new Date();
    const validFrom = pool.validFrom > now ? pool.validFrom : now;
    const validUntil = body.validUntil ?? pool.validUntil;
    if (validUntil > pool.validUntil) throw new AppError('voucher_outlives_pool', "a voucher cannot outlive its pool", { field: 'body.validUntil', poolValidUntil: pool.validUntil.toISOString() });
    if (validUntil <= validFrom) throw new AppError('pool_expired', 'the pool (or the voucher window asked for) has ended', { validUntil: validUntil.toISOString() });
    const debited = await updateReturning<{ balance: string }>(
      em,
      `UPDATE voucher_pools SET balance = balance - $3 WHERE tenant_id = $1 AND id = $2 AND balance >= $3 RETURNING balance::text`,
      [pool.tenantId, pool.id, body.faceValue.toString()],
    );
    const [left] = debited;
    if (!left) {
      throw new AppError('quota_exhausted', 'the pool has less left than this face value', { poolId: pool.id, faceValue: body.faceValue.toString() });
    }
    const made: { id: string }[] = await em.query(
      `WITH c AS (
         INSERT INTO coupons (tenant_id, account_id, partner_id, origin, pool_id, currency, face_value, balance, status, cost_bearer, usage,
                              valid_from, valid_until, product_codes, billing_modes, scenarios, min_spend, max_duration_months,
                              allow_promotional, rules)
         VALUES ($1, NULL, $2, 'voucher', $3, $4, $5, $5, 'unused', 'vendor', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         RETURNING tenant_id, id, face_value
       ), l AS (
         ${ledgerRows({ type: 'issue', from: 'c', tenant: 'tenant_id', coupon: 'id', account: 'NULL', amount: 'face_value', after: 'face_value' })}
       )
       INSERT INTO voucher_pool_ledger (tenant_id, pool_id, type, amount, balance_after, coupon_id, actor_user_id)
       SELECT c.tenant_id, $3, 'generate', -c.face_value, $16, c.id, $17 FROM c RETURNING coupon_id AS id`,
      [
        pool.tenantId, pool.partnerId, pool.id, pool.currency, body.faceValue.toString(), body.usage, validFrom, validUntil,
        body.productCodes, body.billingModes, body.scenarios, body.minSpend?.toString() ?? null, body.maxDurationMonths,
        body.allowPromotional, JSON.stringify({ poolId: pool.id }), left.balance, ctx.actor.userId,
      ],
    );
    const voucher = await em.getRepository(Coupon).findOneByOrFail({ tenantId: pool.tenantId, id: first(made, 'the new voucher').id });
    await addHolders(ctx, em, voucher, body.accountIds);
    await recordAudit(em, ctx.actor, [{ tenantId: pool.tenantId, objectType: 'coupon', objectId: voucher.id, action: 'voucher_made', to: 'unused', reason: `pool ${pool.id}` }]);
    return voucherJson(em, voucher);
  });
}

export async function getVoucher(ctx: Ctx, id: string) {
  return voucherJson(ctx.ds.manager, await findVoucher(ctx, ctx.ds.manager, id));
}

/** R32: share a voucher with more of the partner's accounts; each then spends the same balance. */
export async function shareVoucher(ctx: Ctx, id: string, accountIds: string[]) {
  return inTransaction(ctx.ds, async (em) => {
    const voucher = await findVoucher(ctx, em, id);
    authorize(ctx, 'update', 'Voucher', { tenantId: voucher.tenantId, partnerId: voucher.partnerId });
    await addHolders(ctx, em, voucher, accountIds);
    return voucherJson(em, voucher);
  });
}

/**
 * R32: what a voucher has left goes back to its pool; the voucher is then `revoked`. The voucher
 * row is locked first (as payments lock it), then the pool: a payment in flight either finishes
 * before (and the reclaim takes the rest) or finds the voucher revoked.
 */
export async function reclaimVoucher(ctx: Ctx, id: string) {
  return inTransaction(ctx.ds, async (em) => {
    const voucher = await findVoucher(ctx, em, id, true);
    authorize(ctx, 'reclaim', 'Voucher', { tenantId: voucher.tenantId, partnerId: voucher.partnerId });
    if (voucher.status !== 'unused' || voucher.balance === 0n) {
      throw new AppError('nothing_to_reclaim', 'the voucher has nothing left to reclaim', { status: voucher.status, balance: voucher.balance.toString() });
    }
    const amount = voucher.balance.toString();
    const reason = `${amount} back to pool ${voucher.poolId}`;
    await em.query(
      `WITH c AS (
         ${couponChange({ balance: '0', status: "'revoked'", also: revokedColumns('$6'), where: 'c.tenant_id = $1 AND c.id = $2 AND c.balance = $3', returning: 'c.tenant_id, c.id' })}
       ), l AS (
         ${ledgerRows({ type: 'reclaim', from: 'c', tenant: 'tenant_id', coupon: 'id', account: 'NULL', amount: '-$3::bigint', after: '0' })}
       ), p AS (
         UPDATE voucher_pools SET balance = balance + $3 WHERE tenant_id = $1 AND id = $4 AND EXISTS (SELECT 1 FROM c) RETURNING balance
       )
       INSERT INTO voucher_pool_ledger (tenant_id, pool_id, type, amount, balance_after, coupon_id, actor_user_id)
       SELECT $1, $4, 'reclaim', $3, p.balance, $2, $5 FROM p`,
      [voucher.tenantId, voucher.id, amount, voucher.poolId, ctx.actor.userId, reason],
    );
    await recordAudit(em, ctx.actor, [{ tenantId: voucher.tenantId, objectType: 'coupon', objectId: voucher.id, action: 'reclaimed', from: 'unused', to: 'revoked', reason }]);
    return voucherJson(em, await em.getRepository(Coupon).findOneByOrFail({ tenantId: voucher.tenantId, id: voucher.id }));
  });
}
