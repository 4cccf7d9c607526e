import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../shared/zod';
import { route } from '../http/route';
import { Id } from '../shared/schemas';
import { MinorUnits } from '../shared/money-schema';
import { BudgetJson, BudgetParams, listBudgets, setBudget } from './budgets';

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
