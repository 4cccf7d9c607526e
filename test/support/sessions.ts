import type { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/sessions/passwords';
import { call, type Reply } from './http';
import { nth } from '../../src/db/rows';

export const PASSWORD = 'correct horse battery staple';

/** Gives users a password directly in the database (argon2id, as the API stores them). */
export async function givePassword(ds: DataSource, userIds: string[], password = PASSWORD): Promise<void> {
  for (const id of userIds) await ds.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, await hashPassword(password)]);
}

export interface Session {
  cookie: string; // the cc_session value
  csrfToken: string;
  reply: Reply;
}

export const signInReply = (email: string, password: string, headers: Record<string, string> = {}) =>
  call('POST', '/v1/session', { body: { email, password }, headers });

/** The cc_session value a reply sets, or undefined. */
export function setCookieOf(reply: Reply): string | undefined {
  return reply.headers.getSetCookie().find((c) => c.startsWith('cc_session='));
}

export async function signIn(email: string, password = PASSWORD): Promise<Session> {
  const reply = await signInReply(email, password);
  if (reply.status !== 201) throw new Error(`sign-in failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  const cookie = nth(/^cc_session=([^;]*)/.exec(setCookieOf(reply) ?? '') ?? [], 1, 'the cc_session cookie');
  return { cookie, csrfToken: reply.body.csrfToken, reply };
}

/** Requests as a browser with the session cookie; `csrf` false leaves the header out, a string sends that. */
export function browser(s: Pick<Session, 'cookie' | 'csrfToken'>) {
  const send = (method: string, path: string, body?: unknown, csrf: boolean | string = true) => {
    const headers: Record<string, string> = { cookie: `theme=dark; cc_session=${s.cookie}` };
    if (csrf !== false) headers['x-csrf-token'] = csrf === true ? s.csrfToken : csrf;
    return call(method, path, { body, headers });
  };
  return {
    get: (path: string) => send('GET', path),
    post: (path: string, body?: unknown, csrf: boolean | string = true) => send('POST', path, body, csrf),
    put: (path: string, body?: unknown, csrf: boolean | string = true) => send('PUT', path, body, csrf),
    patch: (path: string, body?: unknown, csrf: boolean | string = true) => send('PATCH', path, body, csrf),
    delete: (path: string, csrf: boolean | string = true) => send('DELETE', path, undefined, csrf),
  };
}
