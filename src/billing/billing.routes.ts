import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../shared/zod';
import { route } from '../http/route';
import { Id, IdParams } from '../shared/schemas';
import { BillJson, BillPage, CycleBody, CycleJson, CycleList, ListBillsQuery, ListCyclesQuery, UsageAnswer, UsageBody } from './billing.schema';
import { ingestUsage } from './ingest-usage';
import { getCycle, listCycles, startCycle } from './billing-cycles';
import { listBills, settleBill } from './bills';
import { partnerReport, ReportQuery, statement, StatementQuery } from './statements';
import { couponDeductions, DeductionsJson, DeductionsQuery } from './coupon-deductions';

/** Pay-as-you-go (R20, R23), statements and reports (R24): validate, call the service, answer. */
export function billingRoutes(r: Router, ds: DataSource): void {
  const tags = ['Billing'];
  route(r, ds, {
    method: 'post', path: '/v1/usage', tags, errors: [403, 409, 422], summary: 'Ingest pay-as-you-go usage records (metering; platform admin)',
    body: UsageBody, response: UsageAnswer, handler: (ctx, { body }) => ingestUsage(ctx, body),
  });
  route(r, ds, {
    method: 'post', path: '/v1/billing-cycles', tags, status: 202, errors: [403, 409], summary: 'Run the billing cycle of a period (R23)',
    body: CycleBody, response: CycleJson, handler: (ctx, { body }) => startCycle(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/billing-cycles', tags, errors: [403], summary: 'Billing cycles, newest period first (platform admin; ?status=failed for the ones that stopped)',
    query: ListCyclesQuery, response: CycleList, handler: (ctx, { query }) => listCycles(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/billing-cycles/:id', tags, errors: [403, 404], summary: 'A billing cycle and its progress',
    params: IdParams, response: CycleJson, handler: (ctx, { params }) => getCycle(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/bills', tags, errors: [403], summary: 'Pay-as-you-go bills in your scope, newest first',
    query: ListBillsQuery, response: BillPage, handler: (ctx, { query }) => listBills(ctx, query),
  });
  route(r, ds, {
    method: 'post', path: '/v1/bills/:id/settle', tags, errors: [403, 404, 409], summary: 'Mark a bill paid (platform admin)',
    params: IdParams, response: BillJson, handler: (ctx, { params }) => settleBill(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/accounts/:id/statement', tags, errors: [403, 404], produces: 'text/csv',
    summary: 'Daily or monthly statement: per line amount, coupon deduction (which coupons) and cash due; format=csv to download (R24)',
    params: z.strictObject({ id: Id }), query: StatementQuery, response: z.unknown(), handler: (ctx, { params, query }) => statement(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/coupon-report', tags, errors: [403, 404], produces: 'text/csv',
    summary: 'Coupon deductions per subaccount and template for a month, with totals; format=csv to download (R24)',
    params: z.strictObject({ id: Id }), query: ReportQuery, response: z.unknown(), handler: (ctx, { params, query }) => partnerReport(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/coupon-deductions', tags, errors: [403, 404],
    summary: 'Coupon deductions per month, subaccount and currency over a range of up to 24 months (deducted, returned, net; R24)',
    params: z.strictObject({ id: Id }), query: DeductionsQuery, response: DeductionsJson, handler: (ctx, { params, query }) => couponDeductions(ctx, params.id, query),
  });
}
