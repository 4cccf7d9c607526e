import type { EntityManager, EntityTarget } from 'typeorm';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { recordAudit, type AuditEntry } from '../audit/record-audit';
import type { ActiveStatus } from './partners/partner.entity';

interface Deactivatable {
  id: string;
  tenantId: string | null;
  status: ActiveStatus;
}

/**
 * The shared shape of deactivating a partner, account or user: load it in scope (404), check the
 * action (403), refuse a second time (409), flip the status with its audit row, then run the
 * object's own consequences in the same transaction.
 */
export async function deactivate<T extends Deactivatable>(
  ctx: Ctx,
  target: { entity: EntityTarget<T>; subject: 'Partner' | 'Account' | 'User'; auditType: AuditEntry['objectType'] },
  id: string,
  reason: string,
  consequences: (em: EntityManager, record: T) => Promise<void>,
): Promise<T> {
  return inTransaction(ctx.ds, async (em) => {
    const record = await findReadable(ctx, em, target.entity, target.subject, id, { lock: true });
    authorize(ctx, 'deactivate', target.subject, record);
    if (record.status === 'deactivated') throw new AppError('already_deactivated', `the ${target.auditType} is already deactivated`);
    await em
      .createQueryBuilder()
      .update(target.entity)
      .set({ status: 'deactivated', updatedAt: () => 'now()' } as never)
      .where('id = :id', { id })
      .execute();
    await recordAudit(em, ctx.actor, [
      { tenantId: record.tenantId, objectType: target.auditType, objectId: id, action: 'deactivated', from: 'active', to: 'deactivated', reason },
    ]);
    await consequences(em, record);
    return em.getRepository(target.entity).findOneByOrFail({ id } as never);
  });
}

/** Tokens of deactivated users stop working at once (authentication checks status too). */
export async function revokeTokensWhere(em: EntityManager, column: 'user_id' | 'account_id', id: string): Promise<void> {
  await em.query(`UPDATE api_tokens SET revoked_at = now() WHERE ${column} = $1 AND revoked_at IS NULL`, [id]);
}
