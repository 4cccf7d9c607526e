import { ForbiddenError, subject as asSubject } from '@casl/ability';
import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Ctx } from './context';
import { forbidden, notFound } from '../shared/errors';
import type { Action, Subject } from './abilities';
import { scopeQuery } from './ability-sql';

type Scoped = Exclude<Subject, 'all' | 'QueueDashboard'>;

/** A query of `entity` limited to what the actor may `action` (default read). */
export function scopedQuery<T extends ObjectLiteral>(
  ctx: Ctx,
  em: EntityManager,
  entity: EntityTarget<T>,
  subjectType: Scoped,
  action: Action = 'read',
): SelectQueryBuilder<T> {
  return scopeQuery(em.getRepository(entity).createQueryBuilder('x'), ctx.ability, action, subjectType);
}

/**
 * A list of what the actor may read (R3): a role with no read rule at all for the subject is
 * refused with 403 and the reason, as a forbidden action always is, rather than answered with an
 * empty page; one that may read some of them gets exactly those (R1).
 */
export function listQuery<T extends ObjectLiteral>(ctx: Ctx, em: EntityManager, entity: EntityTarget<T>, subjectType: Scoped): SelectQueryBuilder<T> {
  if (!ctx.ability.can('read', subjectType)) ForbiddenError.from(ctx.ability).throwUnlessCan('read', subjectType);
  return scopedQuery(ctx, em, entity, subjectType);
}

/**
 * Loads one record the actor may read, or 404: another tenant's object answers exactly like a
 * missing one (R1). `lock` takes the row lock for a state change in the same transaction.
 */
export async function findReadable<T extends ObjectLiteral>(
  ctx: Ctx,
  em: EntityManager,
  entity: EntityTarget<T>,
  subjectType: Scoped,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<T> {
  const qb = scopedQuery(ctx, em, entity, subjectType).andWhere('x.id = :id', { id });
  if (opts.lock) qb.setLock('pessimistic_write');
  const row = await qb.getOne();
  if (!row) throw notFound(subjectType.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
  return row;
}

/** A plain record tagged with its CASL subject type (a copy: the record itself is not touched). */
export function subjectOf(subjectType: Exclude<Subject, 'all'>, record: object): Record<PropertyKey, unknown> {
  return asSubject(subjectType, { ...record }) as unknown as Record<PropertyKey, unknown>;
}

/**
 * R6: 403 with CASL's reason, naming every account refused, unless each of `accounts` may be given
 * a coupon of this cost bearer (the `CouponGrant` rule: issuance, activation codes, vouchers).
 */
export function authorizeGrants(ctx: Ctx, costBearer: string, accounts: readonly { id: string; kind: string }[], fallback: string): void {
  const grant = (a: { kind: string }) => subjectOf('CouponGrant', { costBearer, accountKind: a.kind });
  const refused = accounts.filter((a) => ctx.ability.cannot('create', grant(a)));
  const [first] = refused;
  if (!first) return;
  throw forbidden(ctx.ability.relevantRuleFor('create', grant(first))?.reason ?? fallback, { accountIds: refused.map((a) => a.id) });
}

/** 403 with CASL's reason unless the actor may do `action` on this record (or field of it). */
export function authorize(ctx: Ctx, action: Action, subjectType: Exclude<Subject, 'all'>, record: object, field?: string): void {
  const subject = subjectOf(subjectType, record);
  // The same test as throwUnlessCan's; the error (an Error, with its stack trace) only when refused.
  if (ctx.ability.can(action, subject, field)) return;
  ForbiddenError.from(ctx.ability).throwUnlessCan(action, subject, field);
}
