import type { z } from 'zod';
import type { Ctx } from '../../auth/context';
import { AppError } from '../../shared/errors';
import { authorize, findReadable, listQuery } from '../../auth/scope';
import { inTransaction } from '../../db/tx';
import { recordAudit } from '../../audit/record-audit';
import { paginate, whereEquals } from '../../db/pagination';
import { deactivate, revokeTokensWhere } from '../deactivate';
import { insertUser } from '../users/insert-user';
import { userJson } from '../users/user.schema';
import { Partner } from '../partners/partner.entity';
import { Account } from './account.entity';
import { accountJson, type CreateAccountBody, type ListAccountsQuery } from './account.schema';

/** A partner opens a customer subaccount with its account_owner (reseller accounts come with their partner). */
export async function createAccount(ctx: Ctx, body: z.output<typeof CreateAccountBody>) {
  return inTransaction(ctx.ds, async (em) => {
    const partnerId = body.partnerId ?? ctx.actor.partnerId;
    if (!partnerId) throw new AppError('field_required', 'partnerId is required', { field: 'body.partnerId' });
    const partner = await findReadable(ctx, em, Partner, 'Partner', partnerId, { lock: true });
    authorize(ctx, 'create', 'Account', { tenantId: partner.tenantId, partnerId: partner.id, kind: 'customer' });
    if (partner.status !== 'active') throw new AppError('partner_inactive', 'the partner is deactivated', { field: 'body.partnerId' });
    const [row] = await em.query(
      `INSERT INTO accounts (tenant_id, partner_id, kind, name) VALUES ($1, $2, 'customer', $3) RETURNING id`,
      [partner.tenantId, partner.id, body.name],
    );
    await recordAudit(em, ctx.actor, [{ tenantId: partner.tenantId, objectType: 'account', objectId: row.id, action: 'created', to: 'active' }]);
    const owner = await insertUser(em, ctx.actor, {
      ...body.owner,
      role: 'account_owner',
      tenantId: partner.tenantId,
      partnerId: partner.id,
      accountId: row.id,
    });
    const account = await em.getRepository(Account).findOneByOrFail({ tenantId: partner.tenantId, id: row.id });
    return { ...accountJson(account), owner: userJson(owner) };
  });
}

export async function getAccount(ctx: Ctx, id: string) {
  return accountJson(await findReadable(ctx, ctx.ds.manager, Account, 'Account', id));
}

export async function listAccounts(ctx: Ctx, q: z.output<typeof ListAccountsQuery>) {
  const qb = listQuery(ctx, ctx.ds.manager, Account, 'Account');
  whereEquals(qb, { kind: q.kind, status: q.status, partner_id: q.partnerId });
  if (q.q) qb.andWhere(`x.name ILIKE :q ESCAPE '\\'`, { q: `%${q.q.replace(/[\\%_]/g, '\\$&')}%` });
  const result = await paginate(qb, q);
  return { items: result.items.map(accountJson), nextCursor: result.nextCursor };
}

export async function renameAccount(ctx: Ctx, id: string, name: string) {
  return inTransaction(ctx.ds, async (em) => {
    const account = await findReadable(ctx, em, Account, 'Account', id, { lock: true });
    authorize(ctx, 'update', 'Account', account, 'name');
    await em.getRepository(Account).update({ tenantId: account.tenantId, id }, { name, updatedAt: () => 'now()' });
    return accountJson(await em.getRepository(Account).findOneByOrFail({ tenantId: account.tenantId, id }));
  });
}

/** Its users lose access at once; their tokens are revoked in the same transaction. */
export async function deactivateAccount(ctx: Ctx, id: string, reason: string) {
  const account = await deactivate(ctx, { entity: Account, subject: 'Account', auditType: 'account' }, id, reason, (em) =>
    revokeTokensWhere(em, 'account_id', id),
  );
  return accountJson(account);
}
