import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../http/route';
import { IdParams } from '../shared/schemas';
import { recordFault } from './record-fault';
import { getFault, listFaults } from './fault-views';
import { claimCompensation } from './claim-compensation';
import { listAccountClaims } from './claim-views';
import { ClaimBody, ClaimJson, ClaimPage, ClaimsQuery, FaultJson, FaultPage, ListFaultsQuery, RecordFaultBody } from './compensation.schema';

const tags = ['Compensation'];

export function compensationRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'post', path: '/v1/admin/faults', tags, status: 201, errors: [403, 422],
    summary: 'Record a fault that is over: product, kind, cause, start, end and the affected accounts (platform admin, R33)',
    body: RecordFaultBody, response: FaultJson, handler: (ctx, { body }) => recordFault(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/faults', tags, errors: [],
    summary: 'Faults in your scope, newest first: all for the platform admin, else those that affected your accounts',
    query: ListFaultsQuery, response: FaultPage, handler: (ctx, { query }) => listFaults(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/faults/:id', tags, errors: [404], summary: 'One fault, with the affected accounts in your scope',
    params: IdParams, response: FaultJson, handler: (ctx, { params }) => getFault(ctx, params.id),
  });
  route(r, ds, {
    method: 'post', path: '/v1/faults/:id/claims', tags, status: 201, errors: [403, 404, 409],
    summary: 'Claim compensation for an affected account, within 7 days of the fault\'s end; answered granted (with a vendor-borne coupon) or refused (with the reason), once per account and fault (R33)',
    params: IdParams, body: ClaimBody, response: ClaimJson, handler: (ctx, { params, body }) => claimCompensation(ctx, params.id, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/accounts/:id/compensation-claims', tags, errors: [403, 404],
    summary: 'An account\'s compensation claims, newest first (R33)',
    params: IdParams, query: ClaimsQuery, response: ClaimPage, handler: (ctx, { params, query }) => listAccountClaims(ctx, params.id, query),
  });
}
