import type { EntityManager } from 'typeorm';
import { toBigInt } from '../shared/money';
import { costBasisWindow, type CostBasis } from './compensation-rules';

/**
 * R33 "daily cost of the affected service, from its bills": the account's pay-as-you-go bills for
 * the product lying wholly inside the 7 full UTC days before the day the fault started (hourly and
 * daily bills alike), in the currency of the latest of them, with the number of days that carry
 * one. Bill amounts before coupons: the cost of the service, not what was paid in cash. Null when
 * nothing was billed.
 */
export async function costBasis(em: EntityManager, tenantId: string, accountId: string, productCode: string, faultStart: Date): Promise<CostBasis | null> {
  const { from, to } = costBasisWindow(faultStart);
  const [row]: { currency: string; total: string; days: number }[] = await em.query(
    `WITH b AS (
       SELECT currency, amount, period_start FROM bills
        WHERE tenant_id = $1 AND account_id = $2 AND product_code = $3 AND amount > 0
          AND period_start >= $4 AND period_end <= $5
     ), cur AS (SELECT currency FROM b ORDER BY period_start DESC, currency LIMIT 1)
     SELECT b.currency, sum(b.amount)::text AS total, count(DISTINCT date_trunc('day', b.period_start, 'UTC'))::int AS days
       FROM b JOIN cur USING (currency) GROUP BY b.currency`,
    [tenantId, accountId, productCode, from, to],
  );
  return row ? { currency: row.currency, billedTotal: toBigInt(row.total), billedDays: row.days } : null;
}
