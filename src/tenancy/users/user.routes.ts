import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../../http/route';
import { IdParams } from '../../shared/schemas';
import { history, HistoryJson } from '../../audit/history';
import { DeactivateBody } from '../partners/partner.schema';
import { createToken, listTokens, revokeToken } from '../../auth/tokens/token-admin';
import { CreatedTokenJson, CreateTokenBody, ListTokensQuery, TokenJson, TokenPage } from '../../auth/tokens/token.schema';
import { createUser, deactivateUser, getUser, listUsers, updateUser } from './user-admin';
import { User } from './user.entity';
import { describeMe, MeJson } from './me';
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserJson, UserPage } from './user.schema';

const tags = ['Users'];

export function userRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'get', path: '/v1/me', tags, summary: 'Who the token belongs to, and its scope', errors: [],
    response: MeJson,
    handler: (ctx) => describeMe(ctx),
  });
  route(r, ds, {
    method: 'post', path: '/v1/users', tags, status: 201, errors: [403, 404, 409, 422],
    summary: 'Create a user in your scope', body: CreateUserBody, response: UserJson,
    handler: (ctx, { body }) => createUser(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/users', tags, summary: 'Users you may see', errors: [],
    query: ListUsersQuery, response: UserPage,
    handler: (ctx, { query }) => listUsers(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/users/:id', tags, summary: 'One user', errors: [404],
    params: IdParams, response: UserJson,
    handler: (ctx, { params }) => getUser(ctx, params.id),
  });
  route(r, ds, {
    method: 'patch', path: '/v1/users/:id', tags, summary: 'Rename a user or change its role', errors: [403, 404, 409, 422],
    params: IdParams, body: UpdateUserBody, response: UserJson,
    handler: (ctx, { params, body }) => updateUser(ctx, params.id, body),
  });
  route(r, ds, {
    method: 'post', path: '/v1/users/:id/deactivate', tags, summary: 'Deactivate a user and revoke its tokens', errors: [403, 404, 409],
    params: IdParams, body: DeactivateBody, response: UserJson,
    handler: (ctx, { params, body }) => deactivateUser(ctx, params.id, body.reason),
  });
  route(r, ds, {
    method: 'get', path: '/v1/users/:id/history', tags, summary: 'Audit history of a user (R11)', errors: [404],
    params: IdParams, response: HistoryJson,
    handler: (ctx, { params }) => history(ctx, User, 'User', params.id),
  });
  route(r, ds, {
    method: 'post', path: '/v1/users/:id/tokens', tags: ['Tokens'], status: 201, errors: [403, 404, 409],
    summary: 'Create an API token for yourself or a user you administer; the secret is shown once',
    params: IdParams, body: CreateTokenBody, response: CreatedTokenJson,
    handler: (ctx, { params, body }) => createToken(ctx, params.id, body.name),
  });
  route(r, ds, {
    method: 'get', path: '/v1/users/:id/tokens', tags: ['Tokens'], summary: 'A user\'s tokens (never their secrets)', errors: [404],
    params: IdParams, query: ListTokensQuery, response: TokenPage,
    handler: (ctx, { params, query }) => listTokens(ctx, params.id, query),
  });
  route(r, ds, {
    method: 'post', path: '/v1/tokens/:id/revoke', tags: ['Tokens'], summary: 'Revoke a token', errors: [403, 404, 409],
    params: IdParams, response: TokenJson,
    handler: (ctx, { params }) => revokeToken(ctx, params.id),
  });
}
