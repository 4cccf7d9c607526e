import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../shared/zod';
import { route } from '../http/route';
import { IdParams } from '../shared/schemas';
import {
  ClosedMonthJson, ExpenseJson, ExpenseQuery, LiabilityJson, LiabilityQuery, MonthParams, MonthQuery, MonthStatusList, PartnerMonthParams,
  RangeQuery, ResellerTotalsJson, SettlementJson, SettlementList,
} from './settlement.schema';
import { closeSettlementMonth, listSettlements, partnerSettlement, settlementMonths } from './settlement-views';
import { partnerLiability } from './liability';
import { resellerTotals } from './reseller-totals';
import { promotionExpense } from './promotion-expense';

/** Settlement (R37), liability (R38) and the distributor's view of its resellers (R39). */
export function settlementRoutes(r: Router, ds: DataSource): void {
  const tags = ['Settlement'];
  route(r, ds, {
    method: 'get', path: '/v1/settlement-months', tags, errors: [403], summary: 'Which months of a range are closed, and when each may close (R37)',
    query: RangeQuery, response: MonthStatusList, handler: (ctx, { query }) => settlementMonths(ctx, query),
  });
  route(r, ds, {
    method: 'post', path: '/v1/settlement-months/:month/close', tags, errors: [403, 409],
    summary: "Close a month: freeze every partner's settlement of it (platform admin; also done by a scheduled job after the month ends, R37)",
    params: MonthParams, response: ClosedMonthJson, handler: (ctx, { params }) => closeSettlementMonth(ctx, params.month),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/settlements', tags, errors: [403, 404], summary: "A partner's settlements per month and currency, open and closed (R37)",
    params: IdParams, query: RangeQuery, response: SettlementList, handler: (ctx, { params, query }) => listSettlements(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/settlements/:month', tags, errors: [403, 404], produces: 'text/csv',
    summary: "A partner's settlement of a month: totals, lines per template and subaccount, reseller lines, adjustments, opening and closing liability; format=csv streams the lines (R37, R38)",
    params: PartnerMonthParams, query: MonthQuery, response: z.union([SettlementJson, z.string()]),
    handler: (ctx, { params, query }) => partnerSettlement(ctx, params.id, params.month, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/liability', tags, errors: [403, 404],
    summary: "A partner's outstanding coupon liability per cost bearer and currency at an instant (R38)",
    params: IdParams, query: LiabilityQuery, response: LiabilityJson, handler: (ctx, { params, query }) => partnerLiability(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/reseller-totals', tags, errors: [403, 404],
    summary: "A distributor's resellers: coupon totals per month, template and cost bearer, and what each owes; never their customers (R39)",
    params: IdParams, query: RangeQuery, response: ResellerTotalsJson, handler: (ctx, { params, query }) => resellerTotals(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/promotion-expense', tags, errors: [403], produces: 'text/csv',
    summary: "The vendor's promotion expense of a month per BD, partner and template (platform admin: all; a BD: its partners; R37)",
    query: ExpenseQuery, response: z.union([ExpenseJson, z.string()]), handler: (ctx, { query }) => promotionExpense(ctx, query),
  });
}
