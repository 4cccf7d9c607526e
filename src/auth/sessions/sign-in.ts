import { config } from '../../config';
import { AppError } from '../../shared/errors';
import type { Ctx } from '../context';
import { describeMe } from '../../tenancy/users/me';
import { defineAbilityFor } from '../abilities';
import { hashToken } from '../tokens/token-secret';
import { ACCESS_COLUMNS, ACCESS_JOINS, actorFromRow, type AccessRow } from '../user-access';
import { verifyPassword } from './passwords';
import { newCsrfToken, newSessionSecret, SESSION_SECRET_PATTERN } from './session-cookie';
import type { SignInLimits } from './sign-in-limits';

export interface SignInInput {
  email: string;
  password: string;
  address: string | undefined; // the client's address, for the attempt limits
  userAgent: string | undefined;
  replacing: string | undefined; // the session cookie the browser still sent, if any
}

// Every refusal is this one answer: whether the email exists, has a password or is deactivated
// must not show, in the body or in the time it takes (see verifyPassword).
const invalidCredentials = () => new AppError('invalid_credentials', 'wrong email or password');

const FIND = `SELECT ${ACCESS_COLUMNS}, u.password_hash FROM users u ${ACCESS_JOINS} WHERE lower(u.email) = lower($1)`;

/**
 * Email and password -> a new web session: its secret (for the cookie, never stored), its CSRF
 * token and who signed in. A session cookie the browser still held is revoked in the same
 * statement, so a sign-in never leaves a fixed or stale session behind.
 */
export async function signIn(base: Pick<Ctx, 'ds' | 'log' | 'requestId'>, limits: SignInLimits, input: SignInInput) {
  const { ds, log } = base;
  const attempt = await limits.take(input.email, input.address);
  const [row] = (await ds.query(FIND, [input.email])) as (AccessRow & { password_hash: string | null })[];
  const ok = await verifyPassword(row?.password_hash, input.password);
  if (!ok || !row?.active) throw invalidCredentials();
  await attempt.succeeded();

  const secret = newSessionSecret();
  const csrfToken = newCsrfToken();
  const cfg = config();
  const old = input.replacing && SESSION_SECRET_PATTERN.test(input.replacing) ? hashToken(input.replacing) : null;
  await ds.query(
    `WITH replaced AS (
       UPDATE web_sessions SET revoked_at = now() WHERE $6::bytea IS NOT NULL AND token_hash = $6 AND revoked_at IS NULL
     )
     INSERT INTO web_sessions (tenant_id, user_id, token_hash, csrf_token, expires_at, user_agent)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::int), $7)`,
    [row.tenant_id, row.user_id, hashToken(secret), csrfToken, cfg.SESSION_MAX_AGE_SECONDS, old, input.userAgent?.slice(0, 500) ?? null],
  );
  const actor = actorFromRow(row);
  const ctx: Ctx = { ...base, actor, ability: defineAbilityFor(actor) };
  log.info({ userId: actor.userId }, 'signed in');
  return { secret, body: { user: await describeMe(ctx), csrfToken } };
}
