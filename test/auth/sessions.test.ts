import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { fingerprint } from '../support/db-fingerprint';
import { buildWorld, type World } from '../support/world';
import { browser, givePassword, PASSWORD, setCookieOf, signIn, signInReply } from '../support/sessions';
import { hashToken } from '../../src/auth/tokens/token-secret';
import { signInLimits } from '../../src/auth/sessions/sign-in-limits';
import { verifyPassword } from '../../src/auth/sessions/passwords';
import { config } from '../../src/config';
import { freePort, spawnApi } from '../support/api-process';
import { first, nth } from '../../src/db/rows';

const HERE = '127.0.0.1'; // every test request comes from here
const limits = () => signInLimits(harness.redis);

describe('web sessions: email + password sign-in, cookie, CSRF', () => {
  let w: World;
  before(async () => {
    w = await buildWorld(harness.ds);
    await givePassword(harness.ds, [w.A.pa.id, w.A.po.id, w.A.ao.id, w.B.pa.id]);
  });
  beforeEach(async () => {
    // Failed sign-ins of other tests (and of earlier runs on this Redis) must not count here.
    await limits().resetAddress(HERE);
    for (const p of [w.A.pa, w.A.po, w.A.ao, w.A.pv, w.B.pa]) await limits().resetEmail(p.email, HERE);
  });
  after(async () => {
    await limits().resetAddress(HERE);
  });

  it('the right password: 201 with who signed in and a CSRF token; an HttpOnly, Secure, SameSite=Strict cookie; only its hash is stored', async () => {
    const before = new Date();
    const res = await signInReply(w.A.pa.email.toUpperCase(), PASSWORD, { 'user-agent': 'mocha-browser/1' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const me = await as(w.A.pa.token).get('/v1/me');
    expect(res.body.user).to.deep.equal(me.body); // the same shape as GET /v1/me
    expect(res.body.csrfToken).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get('cache-control')).to.equal('no-store');

    const setCookie = setCookieOf(res)!;
    const parts = setCookie.split(/;\s*/);
    const secret = first(parts).slice('cc_session='.length);
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(parts.slice(1)).to.have.members(['Path=/', `Max-Age=${config().SESSION_MAX_AGE_SECONDS}`, 'HttpOnly', 'Secure', 'SameSite=Strict']);
    expect(config().SESSION_MAX_AGE_SECONDS).to.equal(7 * 24 * 3600);
    // The companion the web app reads to know a session may exist: no secret, readable by scripts.
    const companion = res.headers.getSetCookie().find((c) => c.startsWith('cc_signed_in='))!.split(/;\s*/);
    expect(companion).to.have.members(['cc_signed_in=1', 'Path=/', `Max-Age=${config().SESSION_MAX_AGE_SECONDS}`, 'Secure', 'SameSite=Strict']);

    const rows = await harness.ds.query(`SELECT * FROM web_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [w.A.pa.id]);
    const row = rows[0];
    expect(Buffer.compare(row.token_hash, hashToken(secret))).to.equal(0);
    expect(row).to.include({ tenant_id: w.A.partner, csrf_token: res.body.csrfToken, revoked_at: null, user_agent: 'mocha-browser/1' });
    expect(JSON.stringify(row)).to.not.include(secret);
    const lifetime = row.expires_at.getTime() - row.created_at.getTime();
    expect(lifetime).to.be.closeTo(7 * 24 * 3600 * 1000, 1000);
    expect(row.created_at.getTime()).to.be.at.least(before.getTime() - 1000);
  });

  it('wrong password, unknown email, no password set, deactivated user or partner: the same 401 invalid_credentials, nothing written', async () => {
    const w2 = await buildWorld(harness.ds);
    await givePassword(harness.ds, [w2.A.po.id, w2.A.ra.id, w2.A.pa.id]);
    expect((await as(w2.A.pa.token).post(`/v1/users/${w2.A.po.id}/deactivate`, { reason: 'left' })).status).to.equal(200);
    expect((await as(w2.admin.token).post(`/v1/partners/${w2.A.reseller}/deactivate`, { reason: 'ended' })).status).to.equal(200);
    const before = await fingerprint(harness.ds);
    const attempts: [string, string, string][] = [
      ['wrong password', w2.A.pa.email, 'not the password at all'],
      ['unknown email', `nobody-${Date.now()}@test.example`, PASSWORD],
      ['no password set', w2.A.pv.email, PASSWORD],
      ['deactivated user', w2.A.po.email, PASSWORD],
      ['deactivated partner', w2.A.ra.email, PASSWORD],
    ];
    const answers = [];
    for (const [what, email, password] of attempts) {
      const res = await signInReply(email, password);
      expect(res.status, what).to.equal(401);
      expect(setCookieOf(res), what).to.equal(undefined);
      answers.push(res.body);
    }
    for (const a of answers) expect(a).to.deep.equal({ error: { code: 'invalid_credentials', message: 'wrong email or password', details: null } });
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
  });

  it('an unknown email costs an argon2 verification too, so the time does not tell whether an account exists', async () => {
    const [row] = await harness.ds.query(`SELECT password_hash FROM users WHERE id = $1`, [w.A.pa.id]);
    await verifyPassword(null, 'warm-up'); // the dummy hash is made once
    const time = async (hash: string | null) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        expect(await verifyPassword(hash, 'wrong password')).to.equal(false);
        best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
      }
      return best;
    };
    const real = await time(row.password_hash);
    const none = await time(null);
    expect(none).to.be.greaterThan(real * 0.5);
    expect(none).to.be.lessThan(real * 2);
  });

  it('the cookie authenticates like a token: GET /v1/me and GET /v1/session', async () => {
    const s = await signIn(w.A.pa.email);
    const me = await browser(s).get('/v1/me');
    expect(me.status).to.equal(200);
    expect(me.body.user.id).to.equal(w.A.pa.id);
    expect(me.body.scope).to.include({ role: 'partner_admin', tenantId: w.A.partner });
    const session = await browser(s).get('/v1/session');
    expect(session.status).to.equal(200);
    expect(session.body).to.deep.equal({ user: me.body, csrfToken: s.csrfToken });
    expect(session.headers.get('cache-control')).to.equal('no-store');
  });

  it('GET /v1/session without a session is 401: no cookie, an unknown or malformed cookie, or a bearer token', async () => {
    expect((await call('GET', '/v1/session')).status).to.equal(401);
    for (const cookie of [`cc_session=${'A'.repeat(43)}`, 'cc_session=short', 'other=1']) {
      const res = await call('GET', '/v1/session', { headers: { cookie } });
      expect(res.status, cookie).to.equal(401);
      expect(res.body.error.code).to.equal('unauthenticated');
    }
    const bearer = await as(w.A.pa.token).get('/v1/session');
    expect(bearer.status).to.equal(401);
    expect(bearer.body.error.message).to.match(/API token/);
  });

  it('a cookie-signed write without the X-CSRF-Token, or with a wrong one, is 403 csrf_failed and writes nothing; with it, it works', async () => {
    const s = await signIn(w.A.pa.email);
    const other = await signIn(w.A.po.email);
    const b = browser(s);
    const before = await fingerprint(harness.ds);
    for (const csrf of [false, 'x'.repeat(43), '', s.csrfToken.slice(0, -1)] as const) {
      for (const res of [
        await b.post(`/v1/users/${w.A.pv.id}/tokens`, { name: 'csrf' }, csrf),
        await b.patch(`/v1/users/${w.A.pv.id}`, { name: 'csrf' }, csrf),
        await b.put('/v1/me/password', { currentPassword: PASSWORD, newPassword: 'a new password 1' }, csrf),
        await b.delete('/v1/session', csrf),
      ]) {
        expect(res.status, JSON.stringify(res.body)).to.equal(403);
        expect(res.body.error.code).to.equal('csrf_failed');
      }
    }
    // Another session's token is no good either.
    const crossed = await b.post(`/v1/users/${w.A.pv.id}/tokens`, { name: 'csrf' }, other.csrfToken);
    expect(crossed.status).to.equal(403);
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    const fine = await b.post(`/v1/users/${w.A.pv.id}/tokens`, { name: 'csrf' });
    expect(fine.status, JSON.stringify(fine.body)).to.equal(201);
  });

  it('a bearer token needs no CSRF token, and wins over a cookie sent with it', async () => {
    const s = await signIn(w.A.po.email);
    const res = await call('POST', `/v1/users/${w.A.pa.id}/tokens`, { token: w.A.pa.token, body: { name: 'both' }, headers: { cookie: `cc_session=${s.cookie}` } });
    expect(res.status).to.equal(201);
    const [row] = await harness.ds.query(`SELECT user_id FROM api_tokens WHERE id = $1`, [res.body.id]);
    expect(row.user_id).to.equal(w.A.pa.id);
  });

  it('the 6th failed attempt for an email from one address is 429 with Retry-After, even with the right password, and writes nothing', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await signInReply(w.A.ao.email, `wrong password ${i}`);
      expect(res.status, `attempt ${i}`).to.equal(401);
    }
    const before = await fingerprint(harness.ds);
    for (const password of ['wrong again', PASSWORD]) {
      const res = await signInReply(w.A.ao.email.toUpperCase(), password);
      expect(res.status).to.equal(429);
      expect(res.body.error.code).to.equal('too_many_attempts');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).to.be.within(1, config().SIGNIN_EMAIL_WINDOW_SECONDS);
      expect(res.body.error.details.retryAfterSeconds).to.equal(retryAfter);
      expect(setCookieOf(res)).to.equal(undefined);
    }
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    // Another email from the same address is not held up by it.
    expect((await signInReply(w.A.pa.email, PASSWORD)).status).to.equal(201);
  });

  it('a successful sign-in clears the failures of that email', async () => {
    for (let i = 0; i < 4; i++) expect((await signInReply(w.A.po.email, 'nope nope nope')).status).to.equal(401);
    expect((await signInReply(w.A.po.email, PASSWORD)).status).to.equal(201);
    for (let i = 0; i < 5; i++) expect((await signInReply(w.A.po.email, 'nope nope nope')).status).to.equal(401);
    expect((await signInReply(w.A.po.email, PASSWORD)).status).to.equal(429);
  });

  it('failures per client address are limited across emails; counted before the check, so parallel guesses cannot pass the limit', async () => {
    const small = signInLimits(harness.redis, { ...config(), SIGNIN_FAILS_PER_ADDRESS: 3 });
    const address = '203.0.113.77';
    await small.resetAddress(address);
    const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((e) => small.take(`${e}@x.example`, address)));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(3);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).to.include({ status: 429, code: 'too_many_attempts' });
    await small.resetAddress(address);
    for (const e of ['a', 'b', 'c', 'd', 'e']) await small.resetEmail(`${e}@x.example`, address);
  });

  it('signing out: 204, the row revoked, the cookie cleared (Max-Age=0), and the cookie no longer works', async () => {
    const s = await signIn(w.A.pa.email);
    const res = await browser(s).delete('/v1/session');
    expect(res.status).to.equal(204);
    expect(setCookieOf(res)!.split(/;\s*/)).to.include.members(['cc_session=', 'Max-Age=0', 'Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict']);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('cc_signed_in='))!.split(/;\s*/)).to.include.members(['cc_signed_in=', 'Max-Age=0']);
    const [row] = await harness.ds.query(`SELECT revoked_at FROM web_sessions WHERE token_hash = $1`, [hashToken(s.cookie)]);
    expect(row.revoked_at).to.be.instanceOf(Date);
    for (const path of ['/v1/me', '/v1/session']) {
      const after = await browser(s).get(path);
      expect(after.status).to.equal(401);
      expect(after.body.error.message).to.equal('unknown, expired or revoked session');
    }
  });

  it('a session past its absolute lifetime, or idle longer than 12 h, is 401; a request within the idle time moves last_seen_at', async () => {
    expect(config().SESSION_IDLE_SECONDS).to.equal(12 * 3600);
    const expired = await signIn(w.A.pa.email);
    await harness.ds.query(
      `UPDATE web_sessions SET created_at = now() - interval '8 days', last_seen_at = now(), expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [hashToken(expired.cookie)],
    );
    expect((await browser(expired).get('/v1/me')).status).to.equal(401);

    const idle = await signIn(w.A.pa.email);
    await harness.ds.query(`UPDATE web_sessions SET last_seen_at = now() - interval '12 hours 1 minute' WHERE token_hash = $1`, [hashToken(idle.cookie)]);
    expect((await browser(idle).get('/v1/me')).status).to.equal(401);

    const active = await signIn(w.A.pa.email);
    await harness.ds.query(`UPDATE web_sessions SET last_seen_at = now() - interval '11 hours' WHERE token_hash = $1`, [hashToken(active.cookie)]);
    expect((await browser(active).get('/v1/me')).status).to.equal(200);
    const [row] = await harness.ds.query(`SELECT now() - last_seen_at < interval '1 minute' AS fresh FROM web_sessions WHERE token_hash = $1`, [hashToken(active.cookie)]);
    expect(row.fresh).to.equal(true);
  });

  it('a deactivated user\'s session stops working at once', async () => {
    const w2 = await buildWorld(harness.ds);
    await givePassword(harness.ds, [w2.A.po.id]);
    const s = await signIn(w2.A.po.email);
    expect((await browser(s).get('/v1/me')).status).to.equal(200);
    expect((await as(w2.A.pa.token).post(`/v1/users/${w2.A.po.id}/deactivate`, { reason: 'left' })).status).to.equal(200);
    expect((await browser(s).get('/v1/me')).status).to.equal(401);
  });

  it('signing in again from a browser that holds a session ends the old one', async () => {
    const first = await signIn(w.A.pa.email);
    const res = await signInReply(w.A.pa.email, PASSWORD, { cookie: `cc_session=${first.cookie}` });
    expect(res.status).to.equal(201);
    expect((await browser(first).get('/v1/me')).status).to.equal(401);
  });

  it('changing the password: needs the current one, ends the other sessions, keeps this one; the old password stops working', async () => {
    const w2 = await buildWorld(harness.ds);
    await givePassword(harness.ds, [w2.A.pa.id]);
    const mine = await signIn(w2.A.pa.email);
    const other = await signIn(w2.A.pa.email);
    const b = browser(mine);
    const missing = await b.put('/v1/me/password', { newPassword: 'a brand new password' });
    expect(missing.status).to.equal(422);
    expect(missing.body.error.code).to.equal('current_password_required');
    const wrong = await b.put('/v1/me/password', { currentPassword: 'not it at all', newPassword: 'a brand new password' });
    expect(wrong.status).to.equal(403);
    expect(wrong.body.error.code).to.equal('current_password_incorrect');
    const short = await b.put('/v1/me/password', { currentPassword: PASSWORD, newPassword: 'too short' });
    expect(short.status).to.equal(400);
    expect(short.body.error.details.map((d: { field: string }) => d.field)).to.include('body.newPassword');

    const changed = await b.put('/v1/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(204);
    expect((await browser(other).get('/v1/me')).status).to.equal(401);
    expect((await b.get('/v1/me')).status).to.equal(200);
    expect((await as(w2.A.pa.token).get('/v1/me')).status).to.equal(200); // API tokens are not sessions
    expect((await signInReply(w2.A.pa.email, PASSWORD)).status).to.equal(401);
    expect((await signInReply(w2.A.pa.email, 'a brand new password')).status).to.equal(201);
    const [audit] = await harness.ds.query(`SELECT action, actor_user_id FROM audit_events WHERE object_id = $1 AND action LIKE 'password%'`, [w2.A.pa.id]);
    expect(audit).to.deep.equal({ action: 'password_changed', actor_user_id: w2.A.pa.id });
    await limits().resetEmail(w2.A.pa.email, HERE);
  });

  it('a user without a password sets one with a bearer token (no current password); it is stored as an argon2id hash', async () => {
    const w2 = await buildWorld(harness.ds);
    const set = await call('PUT', '/v1/me/password', { token: w2.A.af.token, body: { newPassword: 'first password here' } });
    expect(set.status, JSON.stringify(set.body)).to.equal(204);
    const [row] = await harness.ds.query(`SELECT password_hash FROM users WHERE id = $1`, [w2.A.af.id]);
    expect(row.password_hash).to.match(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(row.password_hash).to.not.include('first password here');
    const s = await signIn(w2.A.af.email, 'first password here');
    expect((await browser(s).get('/v1/me')).body.user.id).to.equal(w2.A.af.id);
  });

  it('an admin may give a new user a first password; it is never shown back', async () => {
    const w2 = await buildWorld(harness.ds);
    const email = `with-password-${Date.now()}@test.example`;
    const created = await as(w2.A.pa.token).post('/v1/users', { email, name: 'Pat', role: 'partner_viewer', password: 'given by the admin' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(Object.keys(created.body).filter((k) => /password/i.test(k))).to.deep.equal([]);
    expect(JSON.stringify(created.body)).to.not.match(/argon2|given by the admin/);
    const [row] = await harness.ds.query(`SELECT password_hash FROM users WHERE id = $1`, [created.body.id]);
    expect(row.password_hash).to.match(/^\$argon2id\$/);
    expect((await signInReply(email, 'given by the admin')).status).to.equal(201);
    const short = await as(w2.A.pa.token).post('/v1/users', { email: `x${email}`, name: 'Pat', role: 'partner_viewer', password: 'short' });
    expect(short.status).to.equal(400);
  });

  it('R1: a session of tenant A sees tenant B\'s objects as 404, exactly like a token', async () => {
    const s = await signIn(w.A.pa.email);
    const b = browser(s);
    expect((await b.get(`/v1/partners/${w.A.partner}`)).status).to.equal(200);
    for (const path of [`/v1/partners/${w.B.partner}`, `/v1/accounts/${w.B.account}`, `/v1/templates/${w.B.tplD}`, `/v1/coupons/${w.B.couponD}`]) {
      const res = await b.get(path);
      expect(res.status, path).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
    }
    const renamed = await b.patch(`/v1/accounts/${w.B.account}`, { name: 'mine now' });
    expect(renamed.status).to.equal(404);
    const accounts = await b.get('/v1/accounts?limit=200');
    expect(accounts.body.items.map((a: { id: string }) => a.id)).to.not.include(w.B.account);
  });

  it('the sign-in body is strict: unknown fields, a missing password or a bad email are 400; a non-JSON content type is 415', async () => {
    const before = await fingerprint(harness.ds);
    const extra = await call('POST', '/v1/session', { body: { email: w.A.pa.email, password: PASSWORD, remember: true } });
    expect(extra.status).to.equal(400);
    expect(extra.body.error.code).to.equal('validation_failed');
    expect(extra.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['body.remember']);
    for (const body of [{ email: w.A.pa.email }, { email: 'not-an-email', password: PASSWORD }, { email: w.A.pa.email, password: 'x'.repeat(201) }]) {
      expect((await call('POST', '/v1/session', { body })).status, JSON.stringify(body)).to.equal(400);
    }
    // A cross-site form can post text/plain that happens to be JSON: refused (login CSRF).
    const form = await call('POST', '/v1/session', { body: JSON.stringify({ email: w.A.pa.email, password: PASSWORD }), headers: { 'content-type': 'text/plain' } });
    expect(form.status).to.equal(415);
    expect(form.body.error).to.deep.include({ code: 'unsupported_media_type', details: { contentType: 'text/plain' } });
    expect(setCookieOf(form)).to.equal(undefined);
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
  });

  it('the OpenAPI document describes the cookie scheme and the session routes; signing in needs no credentials', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    expect(doc.components.securitySchemes.sessionCookie).to.include({ type: 'apiKey', in: 'cookie', name: 'cc_session' });
    expect(doc.paths['/v1/session'].post.security).to.deep.equal([]);
    expect(doc.paths['/v1/session'].get.security).to.deep.equal([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(doc.paths['/v1/session']).to.include.keys('get', 'post', 'delete');
    expect(doc.paths['/v1/me/password']).to.have.property('put');
    expect(doc.components.schemas.SignIn.additionalProperties).to.equal(false);
  });
});

describe('web sessions: nothing secret reaches the logs', () => {
  it('the API process logs the sign-in, a cookie-signed write and a password change without passwords, cookies or CSRF tokens', async () => {
    const w = await buildWorld(harness.ds);
    await givePassword(harness.ds, [w.A.pa.id]);
    await limits().resetAddress(HERE);
    const port = await freePort();
    const api = spawnApi({ LOG_LEVEL: 'debug' }, port);
    try {
      await api.waitFor('api listening');
      const base = `http://127.0.0.1:${port}`;
      const signedIn = await fetch(`${base}/v1/session`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: w.A.pa.email, password: PASSWORD }),
      });
      expect(signedIn.status).to.equal(201);
      const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
      const cookie = nth(/^cc_session=([^;]*)/.exec(first(signedIn.headers.getSetCookie(), 'Set-Cookie')) ?? [], 1, 'the cc_session cookie');
      const headers = { 'content-type': 'application/json', cookie: `cc_session=${cookie}`, 'x-csrf-token': csrfToken };
      const changed = await fetch(`${base}/v1/me/password`, { method: 'PUT', headers, body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'the next secret phrase' }) });
      expect(changed.status).to.equal(204);
      const failed = await fetch(`${base}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: w.A.pa.email, password: 'a wrong guess 123' }) });
      expect(failed.status).to.equal(401);
      await api.waitFor('"statusCode":401');
      const out = api.output();
      expect(out).to.include('"statusCode":201').and.include('"statusCode":204');
      expect(out).to.include('"set-cookie":"[redacted]"').and.include('"cookie":"[redacted]"').and.include('"x-csrf-token":"[redacted]"');
      for (const secret of [PASSWORD, 'the next secret phrase', 'a wrong guess 123', cookie, csrfToken]) expect(out).to.not.include(secret);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
      await limits().resetEmail(w.A.pa.email, HERE);
      await limits().resetAddress(HERE);
    }
  });
});
