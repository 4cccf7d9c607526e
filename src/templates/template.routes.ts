import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../http/route';
import { IdParams } from '../shared/schemas';
import { history, HistoryJson } from '../audit/history';
import { archiveTemplate, createTemplate, getTemplate, listTemplates, updateTemplate } from './template-admin';
import { CouponTemplate } from './template.entity';
import { CreateTemplateBody, ListTemplatesQuery, TemplateJson, TemplatePage, UpdateTemplateBody } from './template.schema';

const tags = ['Templates'];

export function templateRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'post', path: '/v1/templates', tags, status: 201, errors: [403, 404, 422],
    summary: 'Design a coupon template (R4); a tier-2 reseller cannot make it vendor-borne (R6)',
    body: CreateTemplateBody, response: TemplateJson, handler: (ctx, { body }) => createTemplate(ctx, body),
  });
  route(r, ds, {
    method: 'get', path: '/v1/templates', tags, summary: 'Templates you may see, newest first unless order=oldest', errors: [],
    query: ListTemplatesQuery, response: TemplatePage, handler: (ctx, { query }) => listTemplates(ctx, query),
  });
  route(r, ds, {
    method: 'get', path: '/v1/templates/:id', tags, summary: 'One template', errors: [404],
    params: IdParams, response: TemplateJson, handler: (ctx, { params }) => getTemplate(ctx, params.id),
  });
  route(r, ds, {
    method: 'patch', path: '/v1/templates/:id', tags, errors: [403, 404, 409, 422],
    summary: 'Change a template: any field until first issued, then only name and description (R8)',
    params: IdParams, body: UpdateTemplateBody, response: TemplateJson,
    handler: (ctx, { params, body }) => updateTemplate(ctx, params.id, body),
  });
  route(r, ds, {
    method: 'post', path: '/v1/templates/:id/archive', tags, errors: [403, 404, 409],
    summary: 'Archive a template: it issues nothing more; issued coupons keep their rules (R8)',
    params: IdParams, response: TemplateJson, handler: (ctx, { params }) => archiveTemplate(ctx, params.id),
  });
  route(r, ds, {
    method: 'get', path: '/v1/templates/:id/history', tags, summary: 'Audit history of a template (R11)', errors: [404],
    params: IdParams, response: HistoryJson, handler: (ctx, { params }) => history(ctx, CouponTemplate, 'Template', params.id),
  });
}
