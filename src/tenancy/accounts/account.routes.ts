import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../../http/route';
import { IdParams } from '../../shared/schemas';
import { history, HistoryJson } from '../../audit/history';
import { DeactivateBody } from '../partners/partner.schema';
import { UserJson } from '../users/user.schema';
import { createAccount, deactivateAccount, getAccount, listAccounts, renameAccount } from './account-admin';
import { Account } from './account.entity';
import { AccountJson, AccountPage, CreateAccountBody, ListAccountsQuery, UpdateAccountBody } from './account.schema';

const tags = ['Accounts'];

export function accountRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'post', path: '/v1/accounts', tags, status: 201, errors: [403, 404, 409, 422],
    summary: 'Open a customer subaccount with its account owner',
    body: CreateAccountBody, response: AccountJson.extend({ owner: UserJson }),
    handler: (ctx, { body }) => createAccount(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/accounts', tags, summary: 'Subaccounts you may see', errors: [],
    query: ListAccountsQuery, response: AccountPage,
    handler: (ctx, { query }) => listAccounts(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/accounts/:id', tags, summary: 'One account', errors: [404],
    params: IdParams, response: AccountJson,
    handler: (ctx, { params }) => getAccount(ctx, params.id),
  });
  route(r, ds, {
    method: 'patch', path: '/v1/accounts/:id', tags, summary: 'Rename an account', errors: [403, 404],
    params: IdParams, body: UpdateAccountBody, response: AccountJson,
    handler: (ctx, { params, body }) => renameAccount(ctx, params.id, body.name),
  });
  route(r, ds, {
    method: 'post', path: '/v1/accounts/:id/deactivate', tags, errors: [403, 404, 409],
    summary: 'Deactivate an account; its users lose access and their tokens are revoked',
    params: IdParams, body: DeactivateBody, response: AccountJson,
    handler: (ctx, { params, body }) => deactivateAccount(ctx, params.id, body.reason),
  });
  route(r, ds, {
    method: 'get', path: '/v1/accounts/:id/history', tags, summary: 'Audit history of an account (R11)', errors: [404],
    params: IdParams, response: HistoryJson,
    handler: (ctx, { params }) => history(ctx, Account, 'Account', params.id),
  });
}
