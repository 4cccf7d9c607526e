import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { z } from '../shared/zod';
import { route } from '../http/route';
import { IdParams } from '../shared/schemas';
import { CouponJson } from '../coupons/coupon-json';
import { generateCodes } from './generate-codes';
import { listBatch } from './code-batch';
import { activateCode } from './activate-code';
import { attemptLimits } from './attempt-limits';
import { ActivateBody, BatchPage, BatchQuery } from './activation.schema';

/** R31: offline coupons: the partner generates a batch's codes once; an account activates one. */
export function activationRoutes(r: Router, ds: DataSource, redis: Redis): void {
  const limits = attemptLimits(redis);
  route(r, ds, {
    method: 'post', path: '/v1/issuance-requests/:id/activation-codes', tags: ['Activation codes'], status: 201, errors: [403, 404, 409],
    produces: 'text/csv',
    summary: 'Generate the coupons of an approved offline request; the codes are in this CSV only, shown once (R31)',
    params: IdParams, response: z.string().describe('CSV: code, couponId, faceValue, currency, validUntil'),
    handler: (ctx, { params }) => generateCodes(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/issuance-requests/:id/activation-codes', tags: ['Activation codes'], errors: [404],
    summary: 'An offline batch: each coupon pending, activated (by which account) or expired; never the codes (R12, R31)',
    params: IdParams, query: BatchQuery, response: BatchPage, handler: (ctx, { params, query }) => listBatch(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'post', path: '/v1/accounts/:id/coupon-activations', tags: ['Activation codes'], errors: [403, 404, 409, 410, 422, 429],
    summary: 'Activate an offline code for this account (its owner or finance user); wrong guesses are limited per account and address (R31)',
    params: IdParams, body: ActivateBody, response: CouponJson,
    handler: (ctx, { params, body }, res) => activateCode(ctx, limits, params.id, body.code, res.req.ip),
  });
}
