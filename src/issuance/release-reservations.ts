import type { EntityManager } from 'typeorm';
import { releaseForRequest } from '../budgets/request-budget';
import { first } from '../db/rows';

/**
 * Gives back what a request held for accounts that will not get a coupon: their R7 claims, their
 * share of the template cap (R4) and of its budget (R5, R36).
 * `accountIds` null means every account of the request (rejected, cancelled, expired).
 */
export async function releaseReservations(
  em: EntityManager,
  r: { tenantId: string; id: string; templateId: string; budgetId: string | null; faceValue: bigint },
  accountIds: string[] | null,
): Promise<void> {
  let n = accountIds?.length ?? 0;
  if (accountIds === null) {
    // Every coupon the request would make: its named accounts, or its activation codes (R31).
    // r is a request the caller holds: its row is there.
    const row = first<{ n: number }>(
      await em.query(`SELECT total_accounts AS n FROM issuance_requests WHERE tenant_id = $1 AND id = $2`, [r.tenantId, r.id]),
      'the request',
    );
    n = row.n;
  }
  if (n === 0) return;
  const amount = r.faceValue * BigInt(n);
  await em.query(
    `DELETE FROM template_account_claims WHERE tenant_id = $1 AND request_id = $2 AND ($3::uuid[] IS NULL OR account_id = ANY($3::uuid[]))`,
    [r.tenantId, r.id, accountIds],
  );
  await em.query(
    `UPDATE coupon_templates SET committed_count = committed_count - $3, committed_amount = committed_amount - $4, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [r.tenantId, r.templateId, n, amount.toString()],
  );
  await releaseForRequest(em, r, amount, accountIds === null ? 'ended without issuance' : `${n} accounts failed to issue`);
}
