import type { EntityManager } from 'typeorm';
import type { Actor } from '../../auth/actor';
import { recordAudit } from '../../audit/record-audit';
import { User, type Role } from './user.entity';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  tenantId: string | null;
  partnerId: string | null;
  accountId: string | null;
  passwordHash?: string | null; // argon2id (auth/sessions/passwords.ts); none: API tokens only
}

/** Inserts a user with its audit row; authorization is the caller's. Email clashes are 409. */
export async function insertUser(em: EntityManager, actor: Actor | null, u: NewUser): Promise<User> {
  const [row] = await em.query(
    `INSERT INTO users (email, name, role, tenant_id, partner_id, account_id, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [u.email, u.name, u.role, u.tenantId, u.partnerId, u.accountId, u.passwordHash ?? null],
  );
  await recordAudit(em, actor, [{ tenantId: u.tenantId, objectType: 'user', objectId: row.id, action: 'created', to: 'active' }]);
  return em.getRepository(User).findOneByOrFail({ id: row.id });
}
