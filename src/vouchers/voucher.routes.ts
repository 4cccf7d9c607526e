import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../http/route';
import { IdParams } from '../shared/schemas';
import { getPool, grantPool, listPools, poolLedger } from './pools';
import { getVoucher, makeVoucher, reclaimVoucher, shareVoucher } from './vouchers';
import { GrantPoolBody, ListPoolsQuery, MakeVoucherBody, PoolJson, PoolLedgerJson, PoolPage, ShareVoucherBody, VoucherJson } from './voucher.schema';

const tags = ['Voucher quota pools'];

export function voucherRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'post', path: '/v1/voucher-pools', tags, status: 201, errors: [403, 404, 422],
    summary: 'Grant a partner a voucher quota: amount, currency, validity (platform admin, R32)',
    body: GrantPoolBody, response: PoolJson, handler: (ctx, { body }) => grantPool(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/voucher-pools', tags, errors: [], summary: 'Voucher quota pools in your scope, newest first',
    query: ListPoolsQuery, response: PoolPage, handler: (ctx, { query }) => listPools(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/voucher-pools/:id', tags, errors: [404], summary: 'One pool: granted and left',
    params: IdParams, response: PoolJson, handler: (ctx, { params }) => getPool(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/voucher-pools/:id/ledger', tags, errors: [404], summary: "The pool's ledger: grant, vouchers made, reclaims",
    params: IdParams, response: PoolLedgerJson, handler: (ctx, { params }) => poolLedger(ctx, params.id),
  });
  route(r, ds, {
    method: 'post', path: '/v1/voucher-pools/:id/vouchers', tags, status: 201, errors: [403, 404, 409, 422],
    summary: 'Make a custom voucher from the pool, optionally shared with accounts of the partner (R32)',
    params: IdParams, body: MakeVoucherBody, response: VoucherJson, handler: (ctx, { params, body }) => makeVoucher(ctx, params.id, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/vouchers/:id', tags, errors: [404], summary: 'One voucher with the accounts that share it',
    params: IdParams, response: VoucherJson, handler: (ctx, { params }) => getVoucher(ctx, params.id),
  });
  route(r, ds, {
    method: 'post', path: '/v1/vouchers/:id/holders', tags, errors: [403, 404, 422],
    summary: 'Share the voucher with more of your accounts: each spends the same balance (R32)',
    params: IdParams, body: ShareVoucherBody, response: VoucherJson, handler: (ctx, { params, body }) => shareVoucher(ctx, params.id, body.accountIds),
  });
  route(r, ds, {
    method: 'post', path: '/v1/vouchers/:id/reclaim', tags, errors: [403, 404, 409],
    summary: "Put what the voucher has left back into its pool; the voucher is revoked (R32)",
    params: IdParams, response: VoucherJson, handler: (ctx, { params }) => reclaimVoucher(ctx, params.id),
  });
}
