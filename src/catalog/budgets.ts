import { z } from '../shared/zod';
import { Id } from '../shared/schemas';
import { Currency } from '../shared/money-schema';
import type { Ctx } from '../auth/context';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { AppError } from '../shared/errors';
import { Partner } from '../tenancy/partners/partner.entity';
import { toBigInt } from '../shared/money';

/**
 * R5: a partner's coupon budget per currency for partner-borne coupons, set by a platform admin.
 * `used` is what submitted and issued requests hold; lowering the budget below it is refused.
 */
export const BudgetJson = z
  .object({ partnerId: Id, currency: z.string(), amount: z.string(), used: z.string(), available: z.string() })
  .openapi('Budget');
export const BudgetParams = z.strictObject({ id: Id, currency: Currency });

interface BudgetRow {
  partner_id: string;
  currency: string;
  amount: string;
  used: string;
}
const budgetJson = (b: BudgetRow) => ({
  partnerId: b.partner_id,
  currency: b.currency,
  amount: b.amount,
  used: b.used,
  available: (toBigInt(b.amount) - toBigInt(b.used)).toString(),
});

export async function setBudget(ctx: Ctx, partnerId: string, currency: string, amount: bigint) {
  return inTransaction(ctx.ds, async (em) => {
    const partner = await findReadable(ctx, em, Partner, 'Partner', partnerId);
    authorize(ctx, 'update', 'Budget', { tenantId: partner.tenantId, partnerId });
    const [row]: BudgetRow[] = await em.query(
      `INSERT INTO partner_budgets (tenant_id, partner_id, currency, amount) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, partner_id, currency) DO UPDATE SET amount = EXCLUDED.amount, updated_at = now()
       WHERE partner_budgets.used <= EXCLUDED.amount
       RETURNING partner_id, currency, amount::text, used::text`,
      [partner.tenantId, partnerId, currency, amount.toString()],
    );
    if (!row) throw new AppError('budget_below_used', 'the budget cannot be lower than what is already used', { field: 'body.amount' });
    return budgetJson(row);
  });
}

export async function listBudgets(ctx: Ctx, partnerId: string) {
  const partner = await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', partnerId);
  authorize(ctx, 'read', 'Budget', { tenantId: partner.tenantId, partnerId });
  const rows: BudgetRow[] = await ctx.ds.query(
    `SELECT partner_id, currency, amount::text, used::text FROM partner_budgets WHERE tenant_id = $1 AND partner_id = $2 ORDER BY currency`,
    [partner.tenantId, partnerId],
  );
  return { items: rows.map(budgetJson) };
}
