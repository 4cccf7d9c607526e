import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { inTransaction } from '../db/tx';
import { hashToken, tokenPrefix, TOKEN_PATTERN } from '../auth/tokens/token-secret';
import { mintToken } from '../auth/tokens/token-admin';
import { User } from './users/user.entity';
import { insertUser } from './users/insert-user';

/**
 * The first platform admin. With BOOTSTRAP_ADMIN_TOKEN set, that token is registered for the admin
 * (idempotently); otherwise, when no platform admin exists yet, one is created and its token is
 * returned to be printed once.
 */
export async function ensureBootstrapAdmin(ds: DataSource, cfg: Config): Promise<{ email: string; token?: string }> {
  const given = cfg.BOOTSTRAP_ADMIN_TOKEN;
  if (given && !TOKEN_PATTERN.test(given)) throw new Error('BOOTSTRAP_ADMIN_TOKEN must look like cc_ + 43 base64url characters');
  return inTransaction(ds, async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('bootstrap-admin'))`);
    const existing = await em.getRepository(User).findOne({ where: { role: 'platform_admin', status: 'active' }, order: { createdAt: 'ASC' } });
    const admin =
      existing ??
      (await insertUser(em, null, { email: cfg.BOOTSTRAP_ADMIN_EMAIL, name: 'Platform admin', role: 'platform_admin', tenantId: null, partnerId: null, accountId: null }));
    if (given) {
      await em.query(
        `INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1, 'bootstrap', $2, $3) ON CONFLICT (token_hash) DO NOTHING`,
        [admin.id, hashToken(given), tokenPrefix(given)],
      );
      return { email: admin.email };
    }
    if (existing) return { email: admin.email };
    const created = await mintToken(em, null, admin, 'bootstrap');
    return { email: admin.email, token: created.token };
  });
}
