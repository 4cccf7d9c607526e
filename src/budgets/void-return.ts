import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { moveBudget } from './budget-ledger.sql';

/**
 * R35, R36: what voided coupons had left goes back to the budget their request drew on: a
 * `revoke` move per request (its committed figure down by that much) once the request is issued;
 * while it is still issuing, what it holds is reserved, not committed yet, so the coupons' share is
 * released from the reservation (the commit at the end then commits only the rest). The requests
 * are share-locked, so the end of issuance (which locks the request) comes wholly before or after.
 * Requests without a budget
 * (none was set: no limit) give nothing back. Budgets are taken in id order, like every writer.
 */
export async function returnVoidedToBudgets(
  em: EntityManager,
  rows: { tenantId: string; requestId: string; amount: bigint }[],
  by: { actor: Actor | null; reason: string | null } = { actor: null, reason: 'voided' },
): Promise<void> {
  const live = rows.filter((r) => r.amount > 0n);
  if (!live.length) return;
  const budgets: { tenant_id: string; request_id: string; budget_id: string; settled: boolean }[] = await em.query(
    `SELECT tenant_id, id AS request_id, budget_id, status IN ('issued','issued_with_failures') AS settled FROM issuance_requests
      WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[])) AND budget_id IS NOT NULL
      ORDER BY budget_id, id
        FOR SHARE`,
    [live.map((r) => r.tenantId), live.map((r) => r.requestId)],
  );
  const amountOf = new Map(live.map((r) => [r.requestId, r.amount]));
  for (const b of budgets) {
    const amount = amountOf.get(b.request_id) ?? 0n;
    const type = b.settled ? 'revoke' : 'release';
    const moved = await moveBudget(em, { tenantId: b.tenant_id, budgetId: b.budget_id, type, amount, actor: by.actor, reason: by.reason, requestId: b.request_id });
    if (!moved) throw new Error(`request ${b.request_id}: its budget ${b.budget_id} cannot take back the ${amount} its voided coupons return (${type})`);
  }
}
