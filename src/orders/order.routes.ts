import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { route } from '../http/route';
import { IdParams } from '../shared/schemas';
import type { Ctx } from '../auth/context';
import { findReadable, listQuery } from '../auth/scope';
import { paginate, whereEquals } from '../db/pagination';
import { Order } from './order.entity';
import { orderJson, orderSummary } from './order-json';
import { quote } from './quote';
import { pay } from './pay';
import { CheckoutBody, IdempotencyHeaders, ListOrdersQuery, OrderJson, OrderPage, PayBody, QuoteJson, QuoteQuery } from './order.schema';

const tags = ['Checkout'];

async function getOrder(ctx: Ctx, id: string) {
  const o = await findReadable(ctx, ctx.ds.manager, Order, 'Order', id);
  return orderJson(ctx.ds.manager, o.tenantId, o.id);
}

async function listOrders(ctx: Ctx, q: z.output<typeof ListOrdersQuery>) {
  const qb = whereEquals(listQuery(ctx, ctx.ds.manager, Order, 'Order'), { account_id: q.accountId });
  const page = await paginate(qb, { ...q, direction: 'DESC' });
  return { items: page.items.map(orderSummary), nextCursor: page.nextCursor };
}

/** Quote and pay, declared once: here for the ordinary path, and for checkout-fast.routes.ts. */
export const QUOTE_ROUTE = {
  method: 'post' as const, path: '/v1/checkout/quote', tags, errors: [403, 404, 422],
  summary: 'Quote a prepaid order: every applicable coupon with what it would deduct, in priority (R22)',
  query: QuoteQuery, body: CheckoutBody, response: QuoteJson,
};
export const PAY_ROUTE = {
  method: 'post' as const, path: '/v1/orders', tags, status: 201 as const, errors: [403, 404, 409, 422], headers: IdempotencyHeaders,
  summary: 'Pay a prepaid order with a coupon, `best` or `none` (R21); requires an Idempotency-Key',
  body: PayBody, response: OrderJson,
};

export function orderRoutes(r: Router, ds: DataSource): void {
  route(r, ds, { ...QUOTE_ROUTE, handler: (ctx, { body, query }) => quote(ctx, body, query.explain === 'true') });
  // The key is there: PAY_ROUTE's IdempotencyHeaders require it (validated before the handler).
  route(r, ds, { ...PAY_ROUTE, handler: (ctx, { body, headers }) => pay(ctx, body, headers['idempotency-key']!) });
  route(r, ds, {
    method: 'get', path: '/v1/orders', tags, errors: [], summary: 'Orders in your scope, newest first',
    query: ListOrdersQuery, response: OrderPage, handler: (ctx, { query }) => listOrders(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/orders/:id', tags, errors: [404], summary: 'One order with its items',
    params: IdParams, response: OrderJson, handler: (ctx, { params }) => getOrder(ctx, params.id),
  });
}
