import type { Ctx } from '../context';
import { unauthenticated } from '../../shared/errors';
import type { SessionRef } from '../actor';
import { describeMe } from '../../tenancy/users/me';

/** The session signing this request; a bearer token has none (401: there is nothing to show or end). */
function sessionOf(ctx: Ctx): SessionRef {
  if (!ctx.session) throw unauthenticated('no web session: this request was signed with an API token');
  return ctx.session;
}

export async function currentSession(ctx: Ctx) {
  const session = sessionOf(ctx);
  return { user: await describeMe(ctx), csrfToken: session.csrfToken };
}

export async function signOut(ctx: Ctx): Promise<void> {
  await ctx.ds.query(`UPDATE web_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionOf(ctx).id]);
}
