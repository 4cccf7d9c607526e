import type { Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { unauthenticated } from '../http/errors';
import { pooled } from '../db/prepared';
import { abilityFor, type AppAbility } from './abilities';
import type { Actor } from './actor';
import { hashToken, TOKEN_PATTERN } from './tokens/token-secret';
import type { Role } from '../tenancy/users/user.entity';

/** What the token lookup answers: the token's user and everything the user's access hangs on. */
export interface TokenRow {
  user_id: string;
  role: Role;
  tenant_id: string | null;
  partner_id: string | null;
  account_id: string | null;
  partner_tier: number | null;
  bd_tenant_ids: string[] | null;
  active: boolean;
}

/**
 * The token lookup as two CTEs, `hit` (the token, its user and everything the user's access hangs
 * on) and `touch` (last_used_at, at most once a minute, so reads do not turn into a write per
 * request). `hash` is the SQL of the token's SHA-256. The middleware runs them as one statement; a
 * hot route may run them inside its own statement (see `deferAuthentication`), so that
 * authenticating costs no round trip of its own.
 */
export function tokenLookupCtes(hash: string): string {
  return `hit AS (
    SELECT t.id AS token_id, t.last_used_at, u.id AS user_id, u.role, u.tenant_id, u.partner_id, u.account_id,
           p.tier AS partner_tier,
           (u.status = 'active' AND coalesce(p.status, 'active') = 'active'
             AND coalesce(root.status, 'active') = 'active' AND coalesce(a.status, 'active') = 'active') AS active,
           CASE WHEN u.role = 'bd' THEN
             ARRAY(SELECT bp.id FROM partners bp WHERE bp.bd_user_id = u.id AND bp.tier = 1 ORDER BY bp.id)
           END AS bd_tenant_ids
      FROM api_tokens t
      JOIN users u ON u.id = t.user_id
      LEFT JOIN partners p ON p.tenant_id = u.tenant_id AND p.id = u.partner_id
      LEFT JOIN partners root ON root.tenant_id = u.tenant_id AND root.id = u.tenant_id
      LEFT JOIN accounts a ON a.tenant_id = u.tenant_id AND a.id = u.account_id
     WHERE t.token_hash = ${hash} AND t.revoked_at IS NULL
  ), touch AS (
    UPDATE api_tokens SET last_used_at = now()
      FROM hit
     WHERE api_tokens.id = hit.token_id
       AND (hit.last_used_at IS NULL OR hit.last_used_at < now() - interval '1 minute')
  )`;
}

const TOKEN_FIELDS = ['user_id', 'role', 'tenant_id', 'partner_id', 'account_id', 'partner_tier', 'bd_tenant_ids', 'active'] as const;

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

const LOOKUP = `WITH ${tokenLookupCtes('$1')} SELECT ${tokenColumns()} FROM hit`;

/** The token's hash from the Authorization header; a missing or malformed one is 401. */
function bearerTokenHash(req: Request): Buffer {
  const header = req.headers.authorization;
  if (!header) throw unauthenticated('missing bearer token');
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match || !TOKEN_PATTERN.test(match[1])) throw unauthenticated('malformed bearer token');
  return hashToken(match[1]);
}

/** The Actor of a token row; no row (unknown or revoked token) or an inactive user is 401. */
function actorOf(row: TokenRow | undefined): Actor {
  if (!row) throw unauthenticated('unknown or revoked token');
  if (!row.active) throw unauthenticated('the token belongs to a deactivated user, partner or account');
  return {
    userId: row.user_id,
    role: row.role,
    tenantId: row.tenant_id,
    partnerId: row.partner_id,
    partnerTier: row.partner_tier === 1 || row.partner_tier === 2 ? row.partner_tier : null,
    accountId: row.account_id,
    bdTenantIds: row.bd_tenant_ids ?? [],
  };
}

/** Establishes the request's Actor and ability (res.locals) from its token row, or throws 401. */
export function establishActor(req: Request, res: Response, row: TokenRow | undefined): { actor: Actor; ability: AppAbility } {
  const actor = actorOf(row);
  const ability = abilityFor(actor);
  res.locals.actor = actor;
  res.locals.ability = ability;
  req.log?.setBindings?.({ userId: actor.userId, role: actor.role });
  return { actor, ability };
}

/** Routes (`METHOD /path`) that authenticate inside their own first statement (see route.ts). */
const deferred = new Set<string>();

export function deferAuthentication(method: string, path: string): void {
  deferred.add(`${method.toUpperCase()} ${path}`);
}

/**
 * The hash of a token whose lookup was deferred to the route's own statement; undefined when the
 * middleware has already established the Actor (any other route, or a URL spelled otherwise).
 */
export function deferredToken(res: Response): Buffer | undefined {
  return res.locals.actor ? undefined : (res.locals.deferredToken as Buffer | undefined);
}

/**
 * Bearer token -> Actor + CASL ability on res.locals; anything else is 401. On a route that
 * deferred authentication, only the header is checked here and the token's hash is left on
 * res.locals for the route's statement, which looks it up the same way (`tokenLookupCtes`).
 */
export function authenticate(ds: DataSource): RequestHandler {
  const lookup = pooled(ds); // a prepared statement: every request runs it
  return async (req, res, next) => {
    const hash = bearerTokenHash(req);
    if (deferred.size && deferred.has(`${req.method} ${req.baseUrl}${req.path}`)) {
      res.locals.deferredToken = hash;
      return next();
    }
    const rows = await lookup<TokenRow>(LOOKUP, [hash]);
    establishActor(req, res, rows[0]);
    next();
  };
}

/** The deferred lookup on its own (a request refused before its statement still answers 401 first). */
export async function authenticateNow(ds: DataSource, req: Request, res: Response): Promise<void> {
  const hash = deferredToken(res);
  if (!hash) return;
  const rows = await pooled(ds)<TokenRow>(LOOKUP, [hash]);
  establishActor(req, res, rows[0]);
}
