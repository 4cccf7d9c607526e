import type { DataSource } from 'typeorm';
import type { Ctx } from '../auth/context';
import type { TokenRow } from '../auth/authenticate';
import type { Logger } from '../logger';

/**
 * What quote and pay receive on the fast path: the bearer token's hash, to look up with
 * `tokenLookupCtes` inside their own first statement, and `authenticated` to turn the row that
 * statement answered into the Ctx (401 when there is none or its user is not active). Nothing may
 * be read for the caller or written before that, but the token's own last_used_at (`touchToken`).
 */
export interface TokenCtx {
  readonly tokenHash: Buffer;
  readonly log: Logger;
  readonly requestId: string;
  readonly ds: DataSource;
  authenticated(row: TokenRow | undefined): Ctx;
}
