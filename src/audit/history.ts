import { z } from '../shared/zod';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import type { Ctx } from '../auth/context';
import { findReadable } from '../auth/scope';
import { Id } from '../shared/schemas';
import { AuditEvent } from './audit-event.entity';

export const AuditEventJson = z
  .object({
    id: z.string(),
    action: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    reason: z.string().nullable(),
    actorUserId: Id.nullable(),
    actorKind: z.enum(['user', 'system']),
    at: z.string(),
  })
  .openapi('AuditEvent');
export const HistoryJson = z.object({ items: z.array(AuditEventJson) }).openapi('History');

const OBJECT_TYPE = {
  Partner: 'partner',
  Account: 'account',
  User: 'user',
  Template: 'template',
  IssuanceRequest: 'issuance_request',
  Coupon: 'coupon',
} as const;

/** R11: an object's history, readable by whoever may read the object (404 otherwise). */
export async function history<T extends ObjectLiteral>(
  ctx: Ctx,
  entity: EntityTarget<T>,
  subject: keyof typeof OBJECT_TYPE,
  id: string,
) {
  await findReadable(ctx, ctx.ds.manager, entity, subject, id);
  const events = await ctx.ds.getRepository(AuditEvent).find({
    where: { objectType: OBJECT_TYPE[subject], objectId: id },
    order: { at: 'ASC', id: 'ASC' },
    take: 1000,
  });
  return {
    items: events.map((e) => ({
      id: e.id.toString(),
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus,
      reason: e.reason,
      actorUserId: e.actorUserId,
      actorKind: e.actorKind,
      at: e.at.toISOString(),
    })),
  };
}
