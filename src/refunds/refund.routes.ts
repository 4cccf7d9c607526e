import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../http/route';
import { IdParams } from '../shared/schemas';
import { OrderJson } from '../orders/order.schema';
import { refundQuote } from './refund-quote';
import { getRefund, refundOrder } from './refund-order';
import { getRefundPolicy, setRefundPolicy } from './refund-policy';
import { setResourceState } from './resource-state';
import { PolicyBody, PolicyJson, RefundBody, RefundJson, RefundQuoteJson, ResourceStateBody } from './refund.schema';

const tags = ['Refunds'];

export function refundRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'get', path: '/v1/orders/:id/refund-quote', tags, errors: [404],
    summary: 'What a refund would give back now: the rule (five-day full or partial) and why, every term shown, or why not (R27-R30)',
    params: IdParams, response: RefundQuoteJson, handler: (ctx, { params }) => refundQuote(ctx, params.id),
  });
  route(r, ds, {
    method: 'post', path: '/v1/orders/:id/refund', tags, status: 201, errors: [403, 404, 409],
    summary: "Unsubscribe and refund a prepaid order, once; the coupon's share returns in the same transaction (R27-R30)",
    params: IdParams, body: RefundBody, response: RefundJson, handler: (ctx, { params, body }) => refundOrder(ctx, params.id, body?.reason ?? null),
  });
  route(r, ds, {
    method: 'get', path: '/v1/orders/:id/refund', tags, errors: [404], summary: "An order's refund, with its terms (404 when it has none)",
    params: IdParams, response: RefundJson, handler: (ctx, { params }) => getRefund(ctx, params.id),
  });
  route(r, ds, {
    method: 'put', path: '/v1/orders/:id/resource-state', tags, errors: [403, 404],
    summary: "Record that an order's resource is active or in its grace or retention period (provisioning; platform admin) (R29)",
    params: IdParams, body: ResourceStateBody, response: OrderJson, handler: (ctx, { params, body }) => setResourceState(ctx, params.id, body.state),
  });
  route(r, ds, {
    method: 'get', path: '/v1/admin/refund-policy', tags, errors: [403], summary: "The platform's refund policy (platform admin) (R28)",
    response: PolicyJson, handler: (ctx) => getRefundPolicy(ctx),
  });
  route(r, ds, {
    method: 'put', path: '/v1/admin/refund-policy', tags, errors: [403], summary: 'Set the refund policy: `none` or `proportional` (platform admin) (R28)',
    body: PolicyBody, response: PolicyJson, handler: (ctx, { body }) => setRefundPolicy(ctx, body.policy),
  });
}
