import type { EntityManager } from 'typeorm';
import type { Ctx } from '../context';
import { AppError } from '../../shared/errors';
import { authorize, findReadable, scopedQuery } from '../scope';
import { inTransaction } from '../../db/tx';
import { recordAudit } from '../../audit/record-audit';
import { paginate } from '../../db/pagination';
import type { Actor } from '../actor';
import { User } from '../../tenancy/users/user.entity';
import { ApiToken } from './api-token.entity';
import { hashToken, newTokenSecret, tokenPrefix } from './token-secret';
import { tokenJson } from './token.schema';

/** Mints a token for a user; the secret is returned once and only its hash is kept. */
export async function mintToken(em: EntityManager, actor: Actor | null, user: User, name: string) {
  const secret = newTokenSecret();
  const [row] = await em.query(
    `INSERT INTO api_tokens (user_id, tenant_id, partner_id, account_id, name, token_hash, prefix, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [user.id, user.tenantId, user.partnerId, user.accountId, name, hashToken(secret), tokenPrefix(secret), actor?.userId ?? null],
  );
  const token = await em.getRepository(ApiToken).findOneByOrFail({ id: row.id });
  return { ...tokenJson(token), token: secret };
}

/** Yourself, or a user you administer (a partner admin hands a new account owner its first token). */
export async function createToken(ctx: Ctx, userId: string, name: string) {
  return inTransaction(ctx.ds, async (em) => {
    const user = await findReadable(ctx, em, User, 'User', userId, { lock: true });
    authorize(ctx, 'create', 'ApiToken', { userId: user.id, tenantId: user.tenantId, partnerId: user.partnerId, accountId: user.accountId });
    if (user.status !== 'active') throw new AppError('user_deactivated', 'the user is deactivated');
    const created = await mintToken(em, ctx.actor, user, name);
    await recordAudit(em, ctx.actor, [{ tenantId: user.tenantId, objectType: 'api_token', objectId: created.id, action: 'created', to: 'active' }]);
    return created;
  });
}

export async function listTokens(ctx: Ctx, userId: string, q: { limit: number; cursor?: string }) {
  await findReadable(ctx, ctx.ds.manager, User, 'User', userId);
  const qb = scopedQuery(ctx, ctx.ds.manager, ApiToken, 'ApiToken').andWhere('x.user_id = :userId', { userId });
  const result = await paginate(qb, q);
  return { items: result.items.map(tokenJson), nextCursor: result.nextCursor };
}

export async function revokeToken(ctx: Ctx, id: string) {
  return inTransaction(ctx.ds, async (em) => {
    const token = await findReadable(ctx, em, ApiToken, 'ApiToken', id, { lock: true });
    authorize(ctx, 'revoke', 'ApiToken', token);
    if (token.revokedAt) throw new AppError('already_revoked', 'the token is already revoked');
    await em.getRepository(ApiToken).update({ id }, { revokedAt: () => 'now()' });
    await recordAudit(em, ctx.actor, [{ tenantId: token.tenantId, objectType: 'api_token', objectId: id, action: 'revoked', from: 'active', to: 'revoked' }]);
    return tokenJson(await em.getRepository(ApiToken).findOneByOrFail({ id }));
  });
}
