import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/record-audit';
import { returnVoidedToBudgets } from '../budgets/void-return';
import { toBigInt } from '../shared/money';
import type { CouponStatus } from './coupon.entity';
import { couponChange, ledgerRows, type LedgerType } from './ledger.sql';

export interface CouponReturn {
  tenantId: string;
  couponId: string;
  orderId: string;
  amount: bigint;
  now: Date;
  why: string;
}

/**
 * R25-R27: gives back to a coupon part or all of what an order deducted from it, under the
 * coupon's row lock (the caller's transaction), with a `return` ledger row carrying the order.
 * Inside its validity window the coupon is `unused` again, a one-time coupon too (R27). A coupon
 * whose window has closed, or that is expired or revoked, stays so (validity is never extended,
 * R14): the returned value is written off at once by an `expire` (or `revoke`) ledger row, as the
 * expiry sweep does, so an expired coupon never holds a balance it cannot spend. Either way the
 * balance equals the sum of the ledger. What leaves a voided coupon so goes back to the budget its
 * request drew on, as the void's own remainder did (R35): the same whichever came first.
 */
export async function returnToCoupon(em: EntityManager, actor: Actor, r: CouponReturn): Promise<{ status: CouponStatus; balance: bigint }> {
  if (r.amount <= 0n) throw new RangeError('a coupon return is positive');
  const [c]: { account_id: string; balance: string; status: CouponStatus; valid_until: Date; request_id: string | null }[] = await em.query(
    // A shared voucher has no account of its own: the return names the order's account (R32).
    `SELECT coalesce(c.account_id, o.account_id) AS account_id, c.balance::text, c.status, c.valid_until, c.request_id
       FROM coupons c JOIN orders o ON o.tenant_id = c.tenant_id AND o.id = $3
      WHERE c.tenant_id = $1 AND c.id = $2 FOR UPDATE OF c`,
    [r.tenantId, r.couponId, r.orderId],
  );
  if (!c) throw new Error(`coupon ${r.couponId} of order ${r.orderId} is missing`);
  const restored = toBigInt(c.balance) + r.amount;
  const ledger = (type: LedgerType, amount: bigint, after: bigint) =>
    em.query(ledgerRows({ type, tenant: '$1', coupon: '$2', account: '$3', amount: '$4', after: '$5', order: '$6', at: '$7' }), [
      r.tenantId, r.couponId, c.account_id, amount.toString(), after.toString(), r.orderId, r.now,
    ]);
  await ledger('return', r.amount, restored);
  const usable = r.now.getTime() < c.valid_until.getTime() && (c.status === 'unused' || c.status === 'used');
  const status: CouponStatus = usable ? 'unused' : c.status === 'revoked' ? 'revoked' : 'expired';
  const balance = usable ? restored : 0n;
  if (!usable) await ledger(status === 'revoked' ? 'revoke' : 'expire', -restored, 0n);
  if (status === 'revoked' && c.request_id) await returnVoidedToBudgets(em, [{ tenantId: r.tenantId, requestId: c.request_id, amount: restored }], { actor: null, reason: 'refunded to a voided coupon' });
  await em.query(couponChange({ balance: '$3', status: '$4', where: 'c.tenant_id = $1 AND c.id = $2', returning: 'c.id' }), [r.tenantId, r.couponId, balance.toString(), status]);
  if (status !== c.status) {
    const reason = status === 'expired' ? `${r.why}; validity window ended` : r.why;
    await recordAudit(em, actor, [{ tenantId: r.tenantId, objectType: 'coupon', objectId: r.couponId, action: status, from: c.status, to: status, reason }]);
  }
  return { status, balance };
}
