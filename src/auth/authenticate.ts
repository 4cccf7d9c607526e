import type { Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { AppError, unauthenticated } from '../shared/errors';
import { pooled, type Sql } from '../db/prepared';
import { config } from '../config';
import { abilityFor, type AppAbility } from './abilities';
import type { Actor, SessionRef } from './actor';
import { hashToken, TOKEN_PATTERN } from './tokens/token-secret';
import { ACCESS_COLUMNS, ACCESS_JOINS, ACCESS_NAMES, actorFromRow, type AccessRow } from './user-access';
import { CSRF_HEADER, sameSecret, SESSION_SECRET_PATTERN, sessionCookieOf } from './sessions/session-cookie';

/**
 * What the token lookup answers: the token's user and everything the user's access hangs on, the
 * token's id and whether its last_used_at is due to move (see `touchToken`).
 */
export type TokenRow = AccessRow & { token_id: string; stale: boolean };

/**
 * The token lookup as a CTE, `hit`: the token, its user and everything the user's access hangs on.
 * `hash` is the SQL of the token's SHA-256. The middleware runs it as its own statement; checkout's
 * quote and pay run it inside theirs (src/orders/checkout-fast.routes.ts), so that authenticating
 * costs no round trip of its own. Read only: the touch of last_used_at is `touchToken`, a statement
 * of its own once a minute, not an UPDATE in every lookup (a data-modifying CTE costs PostgreSQL
 * about a third more on every statement that carries it, even when it updates nothing).
 */
export function tokenLookupCtes(hash: string): string {
  return `hit AS (
    SELECT t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale, ${ACCESS_COLUMNS}
      FROM api_tokens t
      JOIN users u ON u.id = t.user_id
      ${ACCESS_JOINS}
     WHERE t.token_hash = ${hash} AND t.revoked_at IS NULL
  )`;
}

const TOKEN_FIELDS = ['token_id', 'stale', ...ACCESS_NAMES.split(', ')] as (keyof TokenRow)[];

const TOUCH = `UPDATE api_tokens SET last_used_at = now()
  WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`;

/**
 * Moves the looked-up token's last_used_at, at most once a minute (so reads do not turn into a write
 * per request), whether or not its user may still sign in: before anything else answers.
 */
export async function touchToken(sql: Sql, row: TokenRow | undefined): Promise<void> {
  if (row?.stale) await sql(TOUCH, [row.token_id]);
}

/**
 * The TokenRow columns of `hit`, for a statement that embeds `tokenLookupCtes`; with a prefix when
 * its other columns could share their names (read them back with `tokenRowOf`).
 */
export function tokenColumns(prefix = ''): string {
  return TOKEN_FIELDS.map((f) => `hit.${f}${prefix ? ` AS "${prefix}${f}"` : ''}`).join(', ');
}

/** The TokenRow in a result row selected with `tokenColumns(prefix)`; undefined for no row. */
export function tokenRowOf(row: Record<string, unknown> | undefined, prefix: string): TokenRow | undefined {
  return row && (Object.fromEntries(TOKEN_FIELDS.map((f) => [f, row[prefix + f]])) as unknown as TokenRow);
}

const TOKEN_LOOKUP = `WITH ${tokenLookupCtes('$1')} SELECT ${tokenColumns()} FROM hit`;

// The same for a session cookie: a session is live until revoked, past its absolute expiry, or
// idle for longer than $2 seconds; last_seen_at moves at most once a minute.
const SESSION_LOOKUP = `
  WITH hit AS (
    SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, ${ACCESS_COLUMNS}
      FROM web_sessions s
      JOIN users u ON u.id = s.user_id
      ${ACCESS_JOINS}
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
       AND s.last_seen_at > now() - make_interval(secs => $2::int)
  ), touch AS (
    UPDATE web_sessions SET last_seen_at = now()
      FROM hit
     WHERE web_sessions.id = hit.session_id AND hit.last_seen_at < now() - interval '1 minute'
  )
  SELECT session_id, csrf_token, ${ACCESS_NAMES} FROM hit`;

interface SessionRow extends AccessRow {
  session_id: string;
  csrf_token: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function signIn(req: Request, res: Response, row: AccessRow, session?: SessionRef): { actor: Actor; ability: AppAbility } {
  const actor = actorFromRow(row);
  const ability = abilityFor(actor);
  res.locals.actor = actor;
  res.locals.ability = ability;
  if (session) res.locals.session = session;
  req.log?.setBindings?.({ userId: actor.userId, role: actor.role });
  return { actor, ability };
}

/** Establishes the request's Actor and ability (res.locals) from its token row, or throws 401. */
export function establishActor(req: Request, res: Response, row: TokenRow | undefined): { actor: Actor; ability: AppAbility } {
  if (!row) throw unauthenticated('unknown or revoked token');
  if (!row.active) throw unauthenticated('the token belongs to a deactivated user, partner or account');
  return signIn(req, res, row);
}

/** The SHA-256 of the request's bearer token; undefined without an Authorization header, 401 when it is malformed. */
export function bearerTokenHash(req: Request): Buffer | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer (\S+)$/.exec(header);
  const token = match?.[1];
  if (token === undefined || !TOKEN_PATTERN.test(token)) throw unauthenticated('malformed bearer token');
  return hashToken(token);
}

/** The token lookup on its own (and its touch): the row of a live token's user, or undefined. */
export async function lookupToken(ds: DataSource, hash: Buffer): Promise<TokenRow | undefined> {
  const sql = pooled(ds);
  const row = (await sql<TokenRow>(TOKEN_LOOKUP, [hash]))[0];
  await touchToken(sql, row);
  return row;
}

/**
 * Bearer token (machine clients) or, without an Authorization header, the cc_session cookie of a
 * signed-in person -> Actor + CASL ability on res.locals; anything else is 401. A cookie is sent by
 * the browser on its own, so a cookie-signed request that may change something must also carry the
 * session's CSRF token in X-CSRF-Token (403 csrf_failed otherwise, before anything is written).
 */
export function authenticate(ds: DataSource): RequestHandler {
  const lookup = pooled(ds); // prepared statements: every request runs one
  return async (req, res, next) => {
    const hash = bearerTokenHash(req);
    if (hash) {
      establishActor(req, res, await lookupToken(ds, hash));
      return next();
    }
    const cookie = sessionCookieOf(req.headers.cookie);
    if (cookie === undefined) throw unauthenticated('missing bearer token');
    if (!SESSION_SECRET_PATTERN.test(cookie)) throw unauthenticated('malformed session cookie');
    const row = (await lookup<SessionRow>(SESSION_LOOKUP, [hashToken(cookie), config().SESSION_IDLE_SECONDS]))[0];
    if (!row) throw unauthenticated('unknown, expired or revoked session');
    if (!row.active) throw unauthenticated('the session belongs to a deactivated user, partner or account');
    if (!SAFE_METHODS.has(req.method)) {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !sameSecret(given, row.csrf_token)) {
        throw new AppError('csrf_failed', 'a signed-in browser request that changes something needs the session\'s X-CSRF-Token header');
      }
    }
    signIn(req, res, row, { id: row.session_id, csrfToken: row.csrf_token });
    next();
  };
}
