import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from '../shared/zod';
import { route } from '../http/route';
import { IdParams } from '../shared/schemas';
import { history, HistoryJson } from '../audit/history';
import { Coupon } from './coupon.entity';
import { CouponJson } from './coupon-json';
import { couponLedger, getCoupon, ledgerCsv, listCoupons } from './wallet';
import { CouponPage, LedgerPage, LedgerQuery, WalletQuery } from './wallet.schema';
import { voidCoupon, voidCoupons } from './void-coupons';
import { VoidBody, VoidListBody, VoidSummary } from './void.schema';

export function couponRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'get', path: '/v1/coupons', tags: ['Coupons'], errors: [403],
    summary: 'The wallet: coupons in your scope, newest first, with status, balance, validity and scope (R13, R14)',
    query: WalletQuery, response: CouponPage, handler: (ctx, { query }) => listCoupons(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/coupons/:id/ledger', tags: ['Coupons'], errors: [404],
    summary: 'Deduction details: every change of the balance, oldest first (R25)',
    params: IdParams, query: LedgerQuery, response: LedgerPage, handler: (ctx, { params, query }) => couponLedger(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/coupons/:id/ledger.csv', tags: ['Coupons'], errors: [404], produces: 'text/csv',
    summary: 'The ledger as a CSV download (R25)', params: IdParams, response: z.string(),
    handler: (ctx, { params }) => ledgerCsv(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/coupons/:id', tags: ['Coupons'], summary: 'One coupon (its account, or the issuing partner)', errors: [404],
    params: IdParams, response: CouponJson, handler: (ctx, { params }) => getCoupon(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/coupons/:id/history', tags: ['Coupons'], summary: 'Audit history of a coupon (R11)', errors: [404],
    params: IdParams, response: HistoryJson, handler: (ctx, { params }) => history(ctx, Coupon, 'Coupon', params.id),
  });
  route(r, ds, {
    method: 'post', path: '/v1/coupons/:id/void', tags: ['Coupons'], errors: [403, 404, 409],
    summary: 'Void a coupon your partner issued, with a reason: what it has left leaves with a revoke ledger row; already revoked answers it unchanged (R35)',
    params: IdParams, body: VoidBody, response: CouponJson, handler: (ctx, { params, body }) => voidCoupon(ctx, params.id, body.reason),
  });
  route(r, ds, {
    method: 'post', path: '/v1/coupons/void', tags: ['Coupons'], errors: [403, 409, 422],
    summary: 'Void a list of 1-1,000 coupons your partner issued, all or nothing: any id not yours or unknown refuses the list (R35)',
    body: VoidListBody, response: VoidSummary, handler: (ctx, { body }) => voidCoupons(ctx, body.couponIds, body.reason),
  });
}
