import { ForbiddenError } from '@casl/ability';
import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { authorize, findReadable, scopedQuery, subjectOf } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { AppError, forbidden } from '../shared/errors';
import { toBigInt } from '../shared/money';
import { returnVoidedToBudgets } from '../budgets/void-return';
import { Coupon, type CouponStatus } from './coupon.entity';
import { couponJson } from './coupon-json';
import { couponAudit, couponChange, ledgerRows, revokedColumns } from './ledger.sql';
import type { VoidSummaryJson } from './void.schema';

/**
 * The coupons a void picks: a condition over `c` (alias of coupons) whose values it appends to
 * `values` as `$n` (they follow the reason, $1, and the actor, $2).
 */
export type CouponPick = (values: unknown[]) => string;

/** Coupons by id (and their tenants: every statement names the tenant). */
export const byIds = (coupons: readonly Pick<Coupon, 'tenantId' | 'id'>[]): CouponPick => (values) => {
  values.push([...new Set(coupons.map((c) => c.tenantId))], coupons.map((c) => c.id));
  return `c.tenant_id = ANY($${values.length - 1}::uuid[]) AND c.id = ANY($${values.length}::uuid[])`;
};

/**
 * R35 as one statement, whatever the number of coupons: the picked coupons still open (`unused`
 * or `pending_activation`, inside their window) are row-locked in id order, the order checkout
 * and billing lock coupons in, so none of them deadlocks with a void; each becomes `revoked`
 * (balance 0, when and why); what it had left leaves with a `revoke` ledger row (none for a
 * coupon holding nothing: a code never activated, R31); its audit row names who and why. A
 * payment in flight either committed first (the lock then reads what it left, and the void takes
 * that) or finds the coupon revoked (its conditional debit matches nothing). Per request comes
 * back what was revoked: the balances taken (`written_off`) and what returns to the budget the
 * request drew on (`released`: the balance, or a never-activated code's face value).
 */
const VOID_SQL = (pick: string) => `
WITH target AS (
  SELECT c.tenant_id, c.id, c.account_id, c.request_id, c.currency, c.status, c.balance, c.face_value
    FROM coupons c
   WHERE ${pick} AND c.status IN ('unused', 'pending_activation') AND c.valid_until > now()
   ORDER BY c.id FOR UPDATE
), upd AS (
  ${couponChange({ balance: '0', status: "'revoked'", also: revokedColumns('$1'), from: 'target t', where: 'c.tenant_id = t.tenant_id AND c.id = t.id', returning: 'c.id' })}
), led AS (
  ${ledgerRows({ type: 'revoke', from: 'target WHERE balance > 0', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: '-balance', after: '0', orderBy: 'ORDER BY id' })}
), aud AS (
  ${couponAudit({ from: 'target', tenant: 'tenant_id', coupon: 'id', action: 'voided', fromStatus: 'status', toStatus: "'revoked'", reason: '$1', actorUser: '$2::uuid' })}
)
SELECT tenant_id, request_id, currency, count(*)::int AS n, sum(balance)::text AS written_off,
       sum(CASE WHEN status = 'unused' THEN balance ELSE face_value END)::text AS released
  FROM target GROUP BY tenant_id, request_id, currency`;

interface Revoked {
  tenant_id: string;
  request_id: string | null;
  currency: string;
  n: number;
  written_off: string;
  released: string;
}

/**
 * Revokes the open coupons `pick` selects, in the caller's transaction, and returns what they
 * had left to their budgets. The caller has checked who may (CASL `void` on `Coupon`).
 */
export async function revokeOpenCoupons(ctx: Ctx, em: EntityManager, pick: CouponPick, reason: string): Promise<Omit<VoidSummaryJson, 'alreadyRevoked' | 'notOpen'>> {
  const values: unknown[] = [reason, ctx.actor.userId];
  const rows: Revoked[] = await em.query(VOID_SQL(pick(values)), values);
  await returnVoidedToBudgets(
    em,
    rows.flatMap((r) => (r.request_id && toBigInt(r.released) > 0n ? [{ tenantId: r.tenant_id, requestId: r.request_id, amount: toBigInt(r.released) }] : [])),
    { actor: ctx.actor, reason: `voided: ${reason}` },
  );
  const perCurrency = new Map<string, bigint>();
  for (const r of rows) perCurrency.set(r.currency, (perCurrency.get(r.currency) ?? 0n) + toBigInt(r.written_off));
  return {
    voided: rows.reduce((n, r) => n + r.n, 0),
    writtenOff: [...perCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: amount.toString() })),
  };
}

/** A coupon's status as a void judges it: one whose window has closed is expired, swept or not (R14). */
const statusNow = (c: Coupon, now: Date): CouponStatus =>
  (c.status === 'unused' || c.status === 'pending_activation') && c.validUntil <= now ? 'expired' : c.status;

/** 409 naming each coupon that can no longer be voided: used or expired (R35). */
function assertVoidable(coupons: readonly Coupon[]): void {
  const now = new Date();
  const closed = coupons.map((c) => ({ id: c.id, status: statusNow(c, now) })).filter((c) => c.status === 'used' || c.status === 'expired');
  const [one] = closed;
  if (!one) return;
  throw new AppError('coupon_not_voidable', `only an unused or pending_activation coupon can be voided; ${closed.length === 1 ? `this one is ${one.status}` : `${closed.length} of these are used or expired`}`, { coupons: closed });
}

/** R35: void one coupon. Already revoked: 200 with it unchanged (idempotent); used or expired: 409. */
export async function voidCoupon(ctx: Ctx, id: string, reason: string) {
  return inTransaction(ctx.ds, async (em) => {
    const c = await findReadable(ctx, em, Coupon, 'Coupon', id, { lock: true });
    authorize(ctx, 'void', 'Coupon', c);
    assertVoidable([c]);
    if (c.status !== 'revoked') await revokeOpenCoupons(ctx, em, byIds([c]), reason);
    return couponJson(await em.getRepository(Coupon).findOneByOrFail({ tenantId: c.tenantId, id: c.id }));
  });
}

/**
 * R35: void a list of coupons, all or nothing, judged as one coupon is, in the same order: ids
 * the actor cannot read (another tenant's, another account's, none) are 404 `not_found` listing
 * them (not yours and not there read the same, R1); a coupon it reads but may not void (its role,
 * or a voucher, a compensation coupon) is 403 with CASL's reason; a used or expired one 409. Any
 * refusal writes nothing; revoked ones are counted and left unchanged.
 */
export async function voidCoupons(ctx: Ctx, ids: string[], reason: string): Promise<VoidSummaryJson> {
  const wanted = [...new Set(ids)];
  return inTransaction(ctx.ds, async (em) => {
    const found = await scopedQuery(ctx, em, Coupon, 'Coupon').andWhere('x.id IN (:...ids)', { ids: wanted }).orderBy('x.id').setLock('pessimistic_write').getMany();
    const known = new Set(found.map((c) => c.id));
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length) throw new AppError('not_found', `${unknown.length} of these coupons not found; nothing was voided`, { couponIds: unknown });
    const refused = found.filter((c) => ctx.ability.cannot('void', subjectOf('Coupon', c)));
    const [first] = refused;
    if (first) {
      // CASL's reason, as for one coupon, naming every coupon refused.
      const why = ForbiddenError.from(ctx.ability).unlessCan('void', subjectOf('Coupon', first));
      throw forbidden(why?.message ?? 'your role may not void these coupons', { couponIds: refused.map((c) => c.id) });
    }
    assertVoidable(found);
    const open = found.filter((c) => c.status !== 'revoked');
    const done = open.length ? await revokeOpenCoupons(ctx, em, byIds(open), reason) : { voided: 0, writtenOff: [] };
    return { ...done, alreadyRevoked: found.length - open.length, notOpen: 0 };
  });
}
