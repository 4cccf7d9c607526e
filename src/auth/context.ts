import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import type { Actor, SessionRef } from './actor';
import type { AppAbility } from './abilities';

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

