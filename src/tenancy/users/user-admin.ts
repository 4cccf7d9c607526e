import type { z } from 'zod';
import type { Ctx } from '../../auth/context';
import { AppError } from '../../shared/errors';
import { authorize, findReadable, scopedQuery } from '../../auth/scope';
import { inTransaction } from '../../db/tx';
import { recordAudit } from '../../audit/record-audit';
import { paginate, whereEquals } from '../../db/pagination';
import { deactivate, revokeTokensWhere } from '../deactivate';
import { Account } from '../accounts/account.entity';
import { Partner } from '../partners/partner.entity';
import { ACCOUNT_ROLES, PARTNER_ROLES, User, type Role } from './user.entity';
import { insertUser } from './insert-user';
import { hashPassword } from '../../auth/sessions/passwords';
import { userJson, type CreateUserBody, type ListUsersQuery, type UpdateUserBody } from './user.schema';

const family = (role: Role) =>
  (ACCOUNT_ROLES as readonly Role[]).includes(role) ? 'account' : (PARTNER_ROLES as readonly Role[]).includes(role) ? 'partner' : 'vendor';

/** Where a new user belongs follows from its role: vendor staff, a partner, or an account. */
async function placement(ctx: Ctx, em: Parameters<Parameters<typeof inTransaction>[1]>[0], body: z.output<typeof CreateUserBody>) {
  const fam = family(body.role);
  if (fam === 'vendor') {
    if (body.partnerId || body.accountId) throw new AppError('role_scope', 'vendor staff belong to no partner or account', { field: 'body.role' });
    return { tenantId: null, partnerId: null, accountId: null };
  }
  if (fam === 'account') {
    if (!body.accountId) throw new AppError('role_scope', `role ${body.role} needs accountId`, { field: 'body.accountId' });
    const account = await findReadable(ctx, em, Account, 'Account', body.accountId);
    if (body.partnerId && body.partnerId !== account.partnerId) throw new AppError('role_scope', 'the account is not that partner\'s', { field: 'body.partnerId' });
    return { tenantId: account.tenantId, partnerId: account.partnerId, accountId: account.id };
  }
  if (body.accountId) throw new AppError('role_scope', `role ${body.role} belongs to a partner, not an account`, { field: 'body.accountId' });
  const partnerId = body.partnerId ?? ctx.actor.partnerId;
  if (!partnerId) throw new AppError('role_scope', `role ${body.role} needs partnerId`, { field: 'body.partnerId' });
  // The actor's own partner is no secret to it (account users hang under it too): the policy, not
  // a 404, then decides whether it may add users there. Any other partner must be in scope.
  const partner =
    partnerId === ctx.actor.partnerId
      ? await em.getRepository(Partner).findOneByOrFail({ tenantId: ctx.actor.tenantId!, id: partnerId })
      : await findReadable(ctx, em, Partner, 'Partner', partnerId);
  return { tenantId: partner.tenantId, partnerId: partner.id, accountId: null };
}

export async function createUser(ctx: Ctx, body: z.output<typeof CreateUserBody>) {
  // Hashing is slow on purpose: done before the transaction, so no lock waits on it.
  const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
  return inTransaction(ctx.ds, async (em) => {
    const where = await placement(ctx, em, body);
    authorize(ctx, 'create', 'User', { ...where, role: body.role });
    return userJson(await insertUser(em, ctx.actor, { email: body.email, name: body.name, role: body.role, ...where, passwordHash }));
  });
}

export async function getUser(ctx: Ctx, id: string) {
  return userJson(await findReadable(ctx, ctx.ds.manager, User, 'User', id));
}

export async function listUsers(ctx: Ctx, q: z.output<typeof ListUsersQuery>) {
  const qb = scopedQuery(ctx, ctx.ds.manager, User, 'User');
  whereEquals(qb, { role: q.role, status: q.status, partner_id: q.partnerId, account_id: q.accountId });
  const result = await paginate(qb, q);
  return { items: result.items.map(userJson), nextCursor: result.nextCursor };
}

/** Rename, or change the role within the same family (the new role must be one the actor could grant). */
export async function updateUser(ctx: Ctx, id: string, body: z.output<typeof UpdateUserBody>) {
  return inTransaction(ctx.ds, async (em) => {
    const user = await findReadable(ctx, em, User, 'User', id, { lock: true });
    for (const field of Object.keys(body)) authorize(ctx, 'update', 'User', user, field);
    if (body.role && body.role !== user.role) {
      if (family(body.role) !== family(user.role)) throw new AppError('role_family', 'a role changes only within its family', { field: 'body.role' });
      if (user.id === ctx.actor.userId) throw new AppError('self_change_refused', 'you cannot change your own role');
      authorize(ctx, 'create', 'User', { ...user, role: body.role });
      await recordAudit(em, ctx.actor, [{ tenantId: user.tenantId, objectType: 'user', objectId: id, action: 'role_changed', from: user.role, to: body.role }]);
    }
    await em.getRepository(User).update({ id }, { ...body, updatedAt: () => 'now()' });
    return userJson(await em.getRepository(User).findOneByOrFail({ id }));
  });
}

export async function deactivateUser(ctx: Ctx, id: string, reason: string) {
  if (id === ctx.actor.userId) throw new AppError('self_change_refused', 'you cannot deactivate yourself');
  const user = await deactivate(ctx, { entity: User, subject: 'User', auditType: 'user' }, id, reason, (em) =>
    revokeTokensWhere(em, 'user_id', id),
  );
  return userJson(user);
}
