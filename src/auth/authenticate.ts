import type { RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { AppError, unauthenticated } from '../http/errors';
import { pooled } from '../db/prepared';
import { config } from '../config';
import { defineAbilityFor } from './abilities';
import type { SessionRef } from './actor';
import { hashToken, TOKEN_PATTERN } from './tokens/token-secret';
import { ACCESS_COLUMNS, ACCESS_JOINS, ACCESS_NAMES, actorFromRow, type AccessRow } from './user-access';
import { CSRF_HEADER, sameSecret, SESSION_SECRET_PATTERN, sessionCookieOf } from './sessions/session-cookie';

// One round trip: find the token, its user and everything the user's access hangs on, and touch
// last_used_at (at most once a minute, so reads do not turn into a write per request).
const TOKEN_LOOKUP = `
  WITH hit AS (
    SELECT t.id AS token_id, t.last_used_at, ${ACCESS_COLUMNS}
      FROM api_tokens t
      JOIN users u ON u.id = t.user_id
      ${ACCESS_JOINS}
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL
  ), touch AS (
    UPDATE api_tokens SET last_used_at = now()
      FROM hit
     WHERE api_tokens.id = hit.token_id
       AND (hit.last_used_at IS NULL OR hit.last_used_at < now() - interval '1 minute')
  )
  SELECT ${ACCESS_NAMES} FROM hit`;

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

function signIn(res: Response, row: AccessRow, session?: SessionRef): void {
  const actor = actorFromRow(row);
  res.locals.actor = actor;
  res.locals.ability = defineAbilityFor(actor);
  if (session) res.locals.session = session;
  res.req.log?.setBindings?.({ userId: actor.userId, role: actor.role });
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
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer (\S+)$/.exec(header);
      if (!match || !TOKEN_PATTERN.test(match[1])) throw unauthenticated('malformed bearer token');
      const row = (await lookup<AccessRow>(TOKEN_LOOKUP, [hashToken(match[1])]))[0];
      if (!row) throw unauthenticated('unknown or revoked token');
      if (!row.active) throw unauthenticated('the token belongs to a deactivated user, partner or account');
      signIn(res, row);
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
        throw new AppError(403, 'csrf_failed', 'a signed-in browser request that changes something needs the session\'s X-CSRF-Token header');
      }
    }
    signIn(res, row, { id: row.session_id, csrfToken: row.csrf_token });
    next();
  };
}
