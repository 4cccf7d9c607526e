import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../../http/route';
import { IdParams } from '../../shared/schemas';
import { history, HistoryJson } from '../../audit/history';
import { AccountJson } from '../accounts/account.schema';
import { UserJson } from '../users/user.schema';
import { createPartner } from './create-partner';
import { deactivatePartner, getPartner, listPartners, updatePartner } from './partner-admin';
import { Partner } from './partner.entity';
import {
  CreatePartnerBody, DeactivateBody, ListPartnersQuery, PartnerJson, PartnerPage, UpdatePartnerBody,
} from './partner.schema';

const tags = ['Partners'];

export function partnerRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'post', path: '/v1/partners', tags, status: 201, errors: [403, 404, 409, 422],
    summary: 'Create a tier-1 distributor (platform admin) or a tier-2 reseller under yours (distributor admin)',
    body: CreatePartnerBody,
    response: PartnerJson.extend({ admin: UserJson, resellerAccount: AccountJson.nullable() }),
    handler: (ctx, { body }) => createPartner(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners', tags, summary: 'Partners you may see', errors: [],
    query: ListPartnersQuery, response: PartnerPage,
    handler: (ctx, { query }) => listPartners(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id', tags, summary: 'One partner', errors: [404],
    params: IdParams, response: PartnerJson,
    handler: (ctx, { params }) => getPartner(ctx, params.id),
  });
  route(r, ds, {
    method: 'patch', path: '/v1/partners/:id', tags, errors: [403, 404, 422],
    summary: 'Rename a partner, or assign a distributor\'s BD (platform admin)',
    params: IdParams, body: UpdatePartnerBody, response: PartnerJson,
    handler: (ctx, { params, body }) => updatePartner(ctx, params.id, body),
  });
  route(r, ds, {
    method: 'post', path: '/v1/partners/:id/deactivate', tags, errors: [403, 404, 409],
    summary: 'Deactivate a partner; its resellers, accounts, users and tokens follow',
    params: IdParams, body: DeactivateBody, response: PartnerJson,
    handler: (ctx, { params, body }) => deactivatePartner(ctx, params.id, body.reason),
  });
  route(r, ds, {
    method: 'get', path: '/v1/partners/:id/history', tags, summary: 'Audit history of a partner (R11)', errors: [404],
    params: IdParams, response: HistoryJson,
    handler: (ctx, { params }) => history(ctx, Partner, 'Partner', params.id),
  });
}
