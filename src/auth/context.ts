import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import type { Actor, SessionRef } from './actor';
import type { AppAbility } from './abilities';
import type { TokenRow } from './authenticate';

/** What every service call receives: who acts, what they may do, where to log, the database. */
export interface Ctx {
  readonly actor: Actor;
  readonly ability: AppAbility;
  readonly log: Logger;
  readonly requestId: string;
  readonly ds: DataSource;
  /** Set when a session cookie, not a bearer token, signed the request. */
  readonly session?: SessionRef;
}

/**
 * What a route that authenticates in its own first statement receives instead (see
 * `RouteSpec.authenticating`): the bearer token's hash, to look up with `tokenLookupCtes`, and
 * `authenticated` to turn the row that statement answered into the Ctx (401 when there is none or
 * its user is not active). Nothing may be read for the caller or written before that.
 */
export interface TokenCtx {
  readonly tokenHash: Buffer;
  readonly log: Logger;
  readonly requestId: string;
  readonly ds: DataSource;
  authenticated(row: TokenRow | undefined): Ctx;
}
