import type { EntityManager } from 'typeorm';
import { AppError } from '../shared/errors';
import { heldByRequest, moveBudget } from './budget-ledger.sql';

/**
 * An issuance request and its budget (R5, R36): submission reserves, issuance commits what was
 * issued, an end without issuance (rejection, cancellation, expiry) and accounts that failed
 * release, a void gives back what its coupons had left. Each is a move of `budget-ledger.sql.ts`
 * carrying the request's id.
 *
 * Which budget: the issuing partner's of the request's kind (its cost bearer) and currency, for
 * the period the submission falls in. A reseller with no partner-borne budget of its own for that
 * period draws on its distributor's (the distributor's ceiling covers its whole tree; what it
 * allocated to resellers is already out of its own). No budget at all means no limit (R5).
 */
export async function budgetForRequest(
  em: EntityManager,
  r: { tenantId: string; partnerId: string; costBearer: 'vendor' | 'partner'; currency: string },
): Promise<string | null> {
  const rows: { id: string }[] = await em.query(
    `SELECT b.id FROM partners p
       JOIN budgets b ON b.tenant_id = p.tenant_id AND b.kind = $3 AND b.currency = $4
                     AND b.period_start <= now() AND now() < b.period_end
                     AND (b.partner_id = p.id OR ($3 = 'partner' AND b.partner_id = p.parent_id))
      WHERE p.tenant_id = $1 AND p.id = $2
      ORDER BY b.partner_id = p.id DESC LIMIT 1`,
    [r.tenantId, r.partnerId, r.costBearer, r.currency],
  );
  return rows[0]?.id ?? null;
}

/** At submission: reserves the request's whole face value on `r.budgetId`, or refuses it whole (nothing issued). */
export async function reserveForRequest(
  em: EntityManager,
  r: { tenantId: string; id: string; budgetId: string | null; costBearer: 'vendor' | 'partner'; currency: string },
  total: bigint,
): Promise<void> {
  const { budgetId } = r;
  if (!budgetId) return;
  const moved = await moveBudget(em, { tenantId: r.tenantId, budgetId, type: 'reserve', amount: total, actor: null, reason: 'submitted', requestId: r.id });
  if (!moved) {
    const [b]: { available: string }[] = await em.query(
      `SELECT (granted - allocated - reserved - committed)::text AS available FROM budgets WHERE tenant_id = $1 AND id = $2`,
      [r.tenantId, budgetId],
    );
    throw new AppError('budget_exceeded', `the request would pass the partner's ${r.costBearer}-borne coupon budget; nothing was issued`, {
      currency: r.currency, kind: r.costBearer, budgetId, requested: total.toString(), available: b?.available ?? '0',
    });
  }
}

/** Gives back `amount` of what the request holds reserved (an end without issuance, failed accounts). */
export async function releaseForRequest(em: EntityManager, r: { tenantId: string; id: string; budgetId: string | null }, amount: bigint, reason: string): Promise<void> {
  if (!r.budgetId || amount <= 0n) return;
  const moved = await moveBudget(em, { tenantId: r.tenantId, budgetId: r.budgetId, type: 'release', amount, actor: null, reason, requestId: r.id });
  if (!moved) throw new Error(`request ${r.id}: its budget ${r.budgetId} holds less reserved than the ${amount} it releases`);
}

/** At the end of issuance: what the request still holds was issued, and stays spent. */
export async function commitForRequest(em: EntityManager, r: { tenantId: string; id: string; budgetId: string | null }): Promise<void> {
  if (!r.budgetId) return;
  const held = await heldByRequest(em, r.tenantId, r.budgetId, r.id);
  if (held <= 0n) return;
  const moved = await moveBudget(em, { tenantId: r.tenantId, budgetId: r.budgetId, type: 'commit', amount: held, actor: null, reason: 'issued', requestId: r.id });
  if (!moved) throw new Error(`request ${r.id}: its budget ${r.budgetId} could not commit ${held}`);
}
