import type { EntityManager } from 'typeorm';
import { AppError } from '../../shared/errors';

/** Only an active BD can be assigned to a distributor. */
export async function assertAssignableBd(em: EntityManager, userId: string): Promise<void> {
  const rows: unknown[] = await em.query(`SELECT 1 FROM users WHERE id = $1 AND role = 'bd' AND status = 'active'`, [userId]);
  if (rows.length === 0) throw new AppError('not_an_active_bd', 'bdUserId is not an active BD', { field: 'body.bdUserId' });
}
