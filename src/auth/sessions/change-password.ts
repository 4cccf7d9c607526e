import type { Ctx } from '../context';
import { AppError } from '../../shared/errors';
import { first } from '../../db/rows';
import { inTransaction, updateReturning } from '../../db/tx';
import { recordAudit } from '../../audit/record-audit';
import { hashPassword, verifyPassword } from './passwords';
import type { SignInLimits } from './sign-in-limits';

export interface PasswordChange {
  currentPassword?: string;
  newPassword: string;
}

/**
 * Sets or changes the caller's own password. Once one is set, changing it takes the current one
 * (wrong guesses count against the same limits as signing in). Every other web session of the
 * user ends; the session making the change, if any, stays; API tokens are not touched.
 */
export async function changePassword(ctx: Ctx, limits: SignInLimits, address: string | undefined, body: PasswordChange): Promise<void> {
  const userId = ctx.actor.userId;
  // The caller was authenticated as this user, and users are never deleted.
  const user = first((await ctx.ds.query(`SELECT email, tenant_id, password_hash FROM users WHERE id = $1`, [userId])) as {
    email: string;
    tenant_id: string | null;
    password_hash: string | null;
  }[], 'the caller\'s user');
  if (user.password_hash) {
    if (body.currentPassword === undefined) throw new AppError('current_password_required', 'a password is set: give it as currentPassword to change it');
    const attempt = await limits.take(user.email, address);
    if (!(await verifyPassword(user.password_hash, body.currentPassword))) {
      throw new AppError('current_password_incorrect', 'currentPassword is not your current password');
    }
    await attempt.succeeded();
  }
  const hash = await hashPassword(body.newPassword); // slow on purpose: before the transaction, not inside it
  await inTransaction(ctx.ds, async (em) => {
    // Only over the password that was checked: a change that raced this one wins, this one is 409.
    const changed = await updateReturning(
      em,
      `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 AND password_hash IS NOT DISTINCT FROM $3 RETURNING id`,
      [userId, hash, user.password_hash],
    );
    if (changed.length === 0) throw new AppError('concurrent_change', 'the password was changed meanwhile; try again');
    await em.query(`UPDATE web_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2`, [
      userId,
      ctx.session?.id ?? null,
    ]);
    await recordAudit(em, ctx.actor, [
      { tenantId: user.tenant_id, objectType: 'user', objectId: userId, action: user.password_hash ? 'password_changed' : 'password_set' },
    ]);
  });
}
