import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { listQuery } from '../auth/scope';
import { AppError } from '../shared/errors';
import { IssuanceRequest } from './issuance-request.entity';
import { requestJson, type DecisionsQuery } from './issuance.schema';

// Keyset on (decided_at, id), newest decision first. decided_at keeps microseconds (now()), so the
// cursor carries them too: a millisecond cursor would skip rows decided within the same millisecond.
const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && CURSOR_AT.test(at) && CURSOR_ID.test(id)) return [at, id];
  } catch {
    /* reported below */
  }
  throw new AppError('validation_failed', 'invalid cursor', [{ field: 'query.cursor', code: 'invalid_cursor', message: 'not a cursor this API issued' }]);
}

const APPROVED = ['approved', 'issuing', 'issued', 'issued_with_failures'];

/**
 * R2, R9: the requests the caller decided (a BD's approvals and rejections), with where each went
 * after (issued, issued with failures, ...), the partner's and the template's names. Scoped by the
 * same CASL rules as every request list: a partner no longer assigned to the BD drops out.
 */
export async function listMyDecisions(ctx: Ctx, q: z.output<typeof DecisionsQuery>) {
  const qb = listQuery(ctx, ctx.ds.manager, IssuanceRequest, 'IssuanceRequest')
    .andWhere('x.decided_by = :me', { me: ctx.actor.userId })
    .andWhere('x.decided_at IS NOT NULL');
  if (q.outcome === 'rejected') qb.andWhere(`x.status = 'rejected'`);
  if (q.outcome === 'approved') qb.andWhere('x.status IN (:...approved)', { approved: APPROVED });
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    qb.andWhere('(x.decided_at, x.id) < (:at::timestamptz, :id::uuid)', { at, id });
  }
  qb.addSelect(`to_char(x.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'decided_key')
    .orderBy('x.decided_at', 'DESC')
    .addOrderBy('x.id', 'DESC')
    .limit(q.limit + 1);
  const { entities, raw } = await qb.getRawAndEntities<{ decided_key: string }>();
  const rows = entities.slice(0, q.limit);
  const names = await namesOf(ctx, rows);
  const lastRow = rows[rows.length - 1];
  // raw holds one row per entity, in the same order.
  const last = lastRow ? { id: lastRow.id, at: raw[rows.length - 1]!.decided_key } : null;
  return {
    items: rows.map((r) => ({
      ...requestJson(r),
      partnerName: names.partners.get(r.partnerId) ?? '',
      templateName: names.templates.get(r.templateId) ?? '',
    })),
    nextCursor: entities.length > q.limit && last ? Buffer.from(JSON.stringify([last.at, last.id])).toString('base64url') : null,
  };
}

/** The partners' and templates' names of a page, in two statements (the rows are already in scope). */
async function namesOf(ctx: Ctx, rows: IssuanceRequest[]) {
  const tenants = rows.map((r) => r.tenantId);
  const [partners, templates]: [{ id: string; name: string }[], { id: string; name: string }[]] = await Promise.all([
    ctx.ds.query(`SELECT p.id, p.name FROM partners p JOIN unnest($1::uuid[], $2::uuid[]) k(t, id) ON p.tenant_id = k.t AND p.id = k.id`, [tenants, rows.map((r) => r.partnerId)]),
    ctx.ds.query(`SELECT t.id, t.name FROM coupon_templates t JOIN unnest($1::uuid[], $2::uuid[]) k(t, id) ON t.tenant_id = k.t AND t.id = k.id`, [tenants, rows.map((r) => r.templateId)]),
  ]);
  return { partners: new Map(partners.map((p) => [p.id, p.name])), templates: new Map(templates.map((t) => [t.id, t.name])) };
}
