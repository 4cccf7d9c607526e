import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { hashToken } from '../../src/auth/tokens/token-secret';

describe('authentication: bearer API tokens', () => {
  let w: World;
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  const routes = ['/v1/me', '/v1/partners', '/v1/accounts', '/v1/users'];

  for (const path of routes) {
    it(`a missing token is 401 on ${path}`, async () => {
      const res = await call('GET', path);
      expect(res.status).to.equal(401);
      expect(res.body.error).to.deep.include({ code: 'unauthenticated', message: 'missing bearer token' });
    });
  }

  it('a malformed token or header is 401', async () => {
    for (const authorization of ['Bearer', 'Bearer short', `Basic ${w.A.pa.token}`, `Bearer ${w.A.pa.token}x`, `Bearer ${w.A.pa.token} extra`]) {
      const res = await call('GET', '/v1/me', { headers: { authorization } });
      expect(res.status, authorization).to.equal(401);
      expect(res.body.error.code).to.equal('unauthenticated');
    }
  });

  it('an unknown token of the right shape is 401', async () => {
    const res = await as(`cc_${'A'.repeat(43)}`).get('/v1/me');
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.equal('unknown or revoked token');
  });

  it('a revoked token is 401 from the next request on', async () => {
    expect((await as(w.A.pa.token).get('/v1/me')).status).to.equal(200);
    expect((await as(w.A.pa.token).post(`/v1/tokens/${w.A.pa.tokenId}/revoke`)).status).to.equal(200);
    const res = await as(w.A.pa.token).get('/v1/me');
    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.equal('unknown or revoked token');
  });

  it('a deactivated user\'s token is 401, and so is every token under a deactivated partner', async () => {
    expect((await as(w.A.pa.token).post(`/v1/users/${w.A.po.id}/deactivate`, { reason: 'left' })).status).to.equal(200);
    expect((await as(w.A.po.token).get('/v1/me')).status).to.equal(401);
    expect((await as(w.admin.token).post(`/v1/partners/${w.A.partner}/deactivate`, { reason: 'contract ended' })).status).to.equal(200);
    for (const p of [w.A.pa, w.A.ra, w.A.ao]) expect((await as(p.token).get('/v1/me')).status, p.role).to.equal(401);
    expect((await as(w.B.pa.token).get('/v1/me')).status).to.equal(200);
  });

  it('a new token is random, shown once, stored only as a hash, and records its last use', async () => {
    const created = await as(w.A.pa.token).post(`/v1/users/${w.A.pa.id}/tokens`, { name: 'ci' });
    expect(created.status).to.equal(201);
    const secret: string = created.body.token;
    expect(secret).to.match(/^cc_[A-Za-z0-9_-]{43}$/); // 256 bits
    const [row] = await harness.ds.query(`SELECT token_hash, last_used_at FROM api_tokens WHERE id = $1`, [created.body.id]);
    expect(Buffer.compare(row.token_hash, hashToken(secret))).to.equal(0);
    expect(row.last_used_at).to.equal(null);
    const stored = await harness.ds.query(`SELECT count(*)::int AS n FROM api_tokens WHERE token_hash::text LIKE '%' || $1 || '%'`, [secret]);
    expect(stored[0].n).to.equal(0);
    const listed = await as(w.A.pa.token).get(`/v1/users/${w.A.pa.id}/tokens`);
    expect(JSON.stringify(listed.body)).to.not.include(secret);
    expect(listed.body.items.find((t: { id: string }) => t.id === created.body.id)).to.include({ prefix: secret.slice(0, 9) });
    expect((await as(secret).get('/v1/me')).body.user.id).to.equal(w.A.pa.id);
    const [used] = await harness.ds.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [created.body.id]);
    expect(used.last_used_at).to.be.instanceOf(Date);
  });

  it('health, readiness and the OpenAPI document answer without a token', async () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json']) expect((await call('GET', path)).status, path).to.equal(200);
  });
});
