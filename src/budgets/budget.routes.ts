import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../shared/zod';
import { route } from '../http/route';
import { Id, IdParams } from '../shared/schemas';
import { Currency, MinorUnits } from '../shared/money-schema';
import { BudgetJson, BudgetLedgerPage, BudgetLedgerQuery, BudgetListQuery, GrantBudgetBody, SetBudgetAmountBody } from './budget.schema';
import { budgetLedger, getBudget, grantBudget, listBudgets, setBudgetAmount, setCurrentBudget } from './budgets';

export function budgetRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'put', path: '/v1/partners/:id/budgets/:currency', tags: ['Budgets'], errors: [403, 404, 409, 422],
    summary: "Set a partner's partner-borne budget of the current period in one currency (R5, R36)",
    params: z.strictObject({ id: Id, currency: Currency }), body: z.strictObject({ amount: MinorUnits }).openapi('SetBudget'), response: BudgetJson,
    handler: (ctx, { params, body }) => setCurrentBudget(ctx, params.id, params.currency, body.amount),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/budgets', tags: ['Budgets'], summary: "A partner's budgets, newest period first (R36)", errors: [403, 404],
    params: z.strictObject({ id: Id }), query: BudgetListQuery, response: z.object({ items: z.array(BudgetJson) }).openapi('BudgetList'),
    handler: (ctx, { params, query }) => listBudgets(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'post', path: '/v1/partners/:id/budgets', tags: ['Budgets'], status: 201, errors: [403, 404, 409, 422],
    summary: 'Grant budget to a partner (platform admin, BD: vendor-borne) or allocate to a reseller (its distributor) (R36)',
    params: z.strictObject({ id: Id }), body: GrantBudgetBody, response: BudgetJson,
    handler: (ctx, { params, body }) => grantBudget(ctx, params.id, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/budgets/:id', tags: ['Budgets'], summary: 'A budget and its figures (R36)', errors: [403, 404],
    params: IdParams, response: BudgetJson,
    handler: (ctx, { params }) => getBudget(ctx, params.id),
  });
  route(r, ds, {
    method: 'patch', path: '/v1/budgets/:id', tags: ['Budgets'], errors: [403, 404, 422],
    summary: "Raise or lower a budget's granted amount, down to what it has reserved, committed or allocated (R36)",
    params: IdParams, body: SetBudgetAmountBody, response: BudgetJson,
    handler: (ctx, { params, body }) => setBudgetAmount(ctx, params.id, body.amount, body.reason),
  });
  route(r, ds, {
    method: 'get', path: '/v1/budgets/:id/ledger', tags: ['Budgets'], summary: 'Every movement of a budget: who, why, which request or coupon (R36)', errors: [403, 404],
    params: IdParams, query: BudgetLedgerQuery, response: BudgetLedgerPage,
    handler: (ctx, { params, query }) => budgetLedger(ctx, params.id, query),
  });
}
