import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../shared/zod';
import { route } from '../http/route';
import { Id, IdParams, page } from '../shared/schemas';
import { history, HistoryJson } from '../audit/history';
import { TemplateJson } from '../templates/template.schema';
import { submitRequest } from './submit-request';
import { approveRequest, cancelRequest, rejectRequest } from './decide-request';
import { approvalQueue, getRequest, listItems, listRequests, queueDetail } from './request-views';
import { IssuanceRequest } from './issuance-request.entity';
import { listMyDecisions } from './decision-history';
import { voidRequest } from './void-request';
import { VoidBody, VoidSummary } from '../coupons/void.schema';
import { DecisionsQuery, ItemsQuery, ListRequestsQuery, QueueQuery, RejectBody, RequestJson, RequestPage, SubmitRequestBody } from './issuance.schema';

const tags = ['Issuance'];
const QueueItem = RequestJson.extend({ ageSeconds: z.number().int() }).openapi('QueuedRequest');
const ItemJson = z
  .object({
    accountId: Id,
    accountName: z.string(),
    status: z.enum(['pending', 'issued', 'failed']),
    failureReason: z.string().nullable(),
    coupon: z
      .object({
        id: Id, status: z.string(), faceValue: z.string(), used: z.string(), balance: z.string(),
        revokedAt: z.string().nullable(), revokedReason: z.string().nullable().describe('Why it was voided (R35)'),
      })
      .nullable(),
  })
  .openapi('IssuanceItem');

export function issuanceRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'post', path: '/v1/issuance-requests', tags, status: 201, errors: [403, 404, 409, 422],
    summary: 'Issue a template to 1-10,000 of your subaccounts (R5-R9)',
    body: SubmitRequestBody, response: RequestJson, handler: (ctx, { body }) => submitRequest(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/issuance-requests', tags, summary: 'Your requests with status and progress, newest first (R12)', errors: [],
    query: ListRequestsQuery, response: RequestPage, handler: (ctx, { query }) => listRequests(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/issuance-requests/:id', tags, summary: 'One request, with progress while it issues', errors: [404],
    params: IdParams, response: RequestJson, handler: (ctx, { params }) => getRequest(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/issuance-requests/:id/items', tags, errors: [404],
    summary: 'Per subaccount: the coupon, its status, amount used and balance, or why it failed (R12)',
    params: IdParams, query: ItemsQuery, response: page(ItemJson).openapi('IssuanceItemPage'),
    handler: (ctx, { params, query }) => listItems(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'post', path: '/v1/issuance-requests/:id/cancel', tags, errors: [403, 404, 409],
    summary: 'Cancel a request before its decision', params: IdParams, response: RequestJson,
    handler: (ctx, { params }) => cancelRequest(ctx, params.id),
  });
  route(r, ds, {
    method: 'post', path: '/v1/issuance-requests/:id/approve', tags, errors: [403, 404, 409],
    summary: 'Approve a pending vendor-borne request (its BD)', params: IdParams, response: RequestJson,
    handler: (ctx, { params }) => approveRequest(ctx, params.id),
  });
  route(r, ds, {
    method: 'post', path: '/v1/issuance-requests/:id/reject', tags, errors: [403, 404, 409],
    summary: 'Reject a pending vendor-borne request with a reason (its BD)', params: IdParams, body: RejectBody, response: RequestJson,
    handler: (ctx, { params, body }) => rejectRequest(ctx, params.id, body.reason),
  });
  route(r, ds, {
    method: 'post', path: '/v1/issuance-requests/:id/void', tags, errors: [403, 404, 409],
    summary: 'Void every open coupon of an issued request, with a reason; used and expired ones stay as they are (R35)',
    params: IdParams, body: VoidBody, response: VoidSummary, handler: (ctx, { params, body }) => voidRequest(ctx, params.id, body.reason),
  });
  route(r, ds, {
    method: 'get', path: '/v1/issuance-requests/:id/history', tags, summary: 'Audit history of a request (R11)', errors: [404],
    params: IdParams, response: HistoryJson, handler: (ctx, { params }) => history(ctx, IssuanceRequest, 'IssuanceRequest', params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/approval-queue', tags: ['Approval queue'], errors: [],
    summary: 'Pending requests of the partners assigned to you, oldest first, with their age (R2)',
    query: QueueQuery, response: page(QueueItem).openapi('ApprovalQueuePage'), handler: (ctx, { query }) => approvalQueue(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/approval-queue/:id', tags: ['Approval queue'], errors: [404],
    summary: 'A request with its template, size, total face value and the partner\'s past decisions',
    params: IdParams,
    response: z
      .object({
        request: QueueItem,
        partner: z.object({ id: Id, name: z.string() }),
        template: TemplateJson,
        pastDecisions: z.object({
          approved: z.number(),
          rejected: z.number(),
          expired: z.number(),
          recent: z.array(
            z.object({ id: Id, status: z.string(), currency: z.string(), totalFaceValue: z.string(), decidedAt: z.string(), reason: z.string().nullable() }),
          ),
        }),
      })
      .openapi('ApprovalDetail'),
    handler: (ctx, { params }) => queueDetail(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/approval-decisions', tags: ['Approval queue'], errors: [],
    summary: 'The requests you decided (approved or rejected), newest decision first, with what became of them and the partner\'s and template\'s names',
    query: DecisionsQuery,
    response: page(RequestJson.extend({ partnerName: z.string(), templateName: z.string() }).openapi('DecidedRequest')).openapi('DecidedRequestPage'),
    handler: (ctx, { query }) => listMyDecisions(ctx, query),
  });
}
