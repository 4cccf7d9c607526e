import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../http/zod';
import { route } from '../http/route';
import { Id } from '../http/schemas';
import { Currency, MinorUnits } from '../http/money-schema';
import type { Ctx } from '../http/context';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { unprocessable } from '../http/errors';
import { Partner } from '../tenancy/partners/partner.entity';
import { toBigInt } from '../shared/money';

/**
 * R5: a partner's coupon budget per currency for partner-borne coupons, set by a platform admin.
 * `used` is what submitted and issued requests hold; lowering the budget below it is refused.
 */
const BudgetJson = z
  .object({ partnerId: Id, currency: z.string(), amount: z.string(), used: z.string(), available: z.string() })
  .openapi('Budget');
const BudgetParams = z.strictObject({ id: Id, currency: Currency });

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

async function setBudget(ctx: Ctx, partnerId: string, currency: string, amount: bigint) {
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
    if (!row) throw unprocessable('the budget cannot be lower than what is already used', { field: 'body.amount' });
    return budgetJson(row);
  });
}

async function listBudgets(ctx: Ctx, partnerId: string) {
  const partner = await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', partnerId);
  authorize(ctx, 'read', 'Budget', { tenantId: partner.tenantId, partnerId });
  const rows: BudgetRow[] = await ctx.ds.query(
    `SELECT partner_id, currency, amount::text, used::text FROM partner_budgets WHERE tenant_id = $1 AND partner_id = $2 ORDER BY currency`,
    [partner.tenantId, partnerId],
  );
  return { items: rows.map(budgetJson) };
}

export function budgetRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'put', path: '/v1/partners/:id/budgets/:currency', tags: ['Partners'], errors: [403, 404, 422],
    summary: "Set a partner's budget for partner-borne coupons in one currency (platform admin)",
    params: BudgetParams, body: z.strictObject({ amount: MinorUnits }).openapi('SetBudget'), response: BudgetJson,
    handler: (ctx, { params, body }) => setBudget(ctx, params.id, params.currency, body.amount),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/budgets', tags: ['Partners'], summary: "A partner's coupon budgets", errors: [403, 404],
    params: z.strictObject({ id: Id }), response: z.object({ items: z.array(BudgetJson) }).openapi('BudgetList'),
    handler: (ctx, { params }) => listBudgets(ctx, params.id),
  });
}
