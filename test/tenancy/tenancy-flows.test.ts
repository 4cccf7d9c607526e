import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';

const uniq = () => Math.random().toString(36).slice(2, 10);

describe('tenancy flows: partners, accounts, users and their history', () => {
  let w: World;
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  it('R2 R3: a platform admin creates a distributor assigned to a BD, who then sees it; its first admin comes with it', async () => {
    const res = await as(w.admin.token).post('/v1/partners', { name: 'Fabrikam', bdUserId: w.otherBd.id, admin: { email: `f-${uniq()}@x.example`, name: 'F' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ tier: 1, parentId: null, bdUserId: w.otherBd.id, status: 'active' });
    expect(res.body.tenantId).to.equal(res.body.id);
    expect(res.body.admin).to.include({ role: 'partner_admin', partnerId: res.body.id });
    expect((await as(w.otherBd.token).get(`/v1/partners/${res.body.id}`)).status).to.equal(200);
    expect((await as(w.bd.token).get(`/v1/partners/${res.body.id}`)).status).to.equal(404);
  });

  it('a distributor admin creates a tier-2 reseller, whose billing account (kind reseller) joins the distributor\'s subaccounts', async () => {
    const res = await as(w.A.pa.token).post('/v1/partners', { name: 'Tailspin', parentId: w.A.partner, admin: { email: `t-${uniq()}@x.example`, name: 'T' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ tier: 2, parentId: w.A.partner, tenantId: w.A.partner });
    expect(res.body.resellerAccount).to.include({ kind: 'reseller', partnerId: w.A.partner, resellerPartnerId: res.body.id });
    const accounts = await as(w.A.pa.token).get('/v1/accounts?kind=reseller&limit=200');
    expect(accounts.body.items.map((a: { id: string }) => a.id)).to.include(res.body.resellerAccount.id);
  });

  it('R3: a reseller cannot create partners; a distributor cannot create a distributor or one under another tenant', async () => {
    const admin = { email: `n-${uniq()}@x.example`, name: 'N' };
    expect((await as(w.A.ra.token).post('/v1/partners', { name: 'N', parentId: w.A.reseller, admin })).status).to.equal(403);
    expect((await as(w.A.pa.token).post('/v1/partners', { name: 'N', admin })).status).to.equal(403);
    expect((await as(w.A.pa.token).post('/v1/partners', { name: 'N', parentId: w.B.partner, admin })).status).to.equal(404);
    expect((await as(w.A.po.token).post('/v1/partners', { name: 'N', parentId: w.A.partner, admin })).status).to.equal(403);
  });

  it('R3: only a platform admin assigns the BD; the partner admin may rename but not reassign', async () => {
    const denied = await as(w.A.pa.token).patch(`/v1/partners/${w.A.partner}`, { bdUserId: w.otherBd.id });
    expect(denied.status).to.equal(403);
    expect(denied.body.error.message).to.include('bdUserId');
    const ok = await as(w.admin.token).patch(`/v1/partners/${w.A.partner}`, { bdUserId: w.otherBd.id });
    expect(ok.body.bdUserId).to.equal(w.otherBd.id);
    expect((await as(w.otherBd.token).get(`/v1/partners/${w.A.partner}`)).status).to.equal(200);
    expect((await as(w.bd.token).get(`/v1/partners/${w.A.partner}`)).status).to.equal(404);
    const notBd = await as(w.admin.token).patch(`/v1/partners/${w.A.partner}`, { bdUserId: w.A.pa.id });
    expect(notBd.status).to.equal(422);
  });

  it('a partner opens a customer account with its owner; the owner adds a finance user but no partner role', async () => {
    const created = await as(w.A.pa.token).post('/v1/accounts', { name: 'Woodgrove', owner: { email: `o-${uniq()}@x.example`, name: 'O' } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ kind: 'customer', partnerId: w.A.partner });
    expect(created.body.owner).to.include({ role: 'account_owner', accountId: created.body.id });
    const token = await as(w.A.pa.token).post(`/v1/users/${created.body.owner.id}/tokens`, { name: 'handover' });
    expect(token.status).to.equal(201);
    const owner = as(token.body.token);
    const fin = await owner.post('/v1/users', { email: `fin-${uniq()}@x.example`, name: 'F', role: 'account_finance', accountId: created.body.id });
    expect(fin.status, JSON.stringify(fin.body)).to.equal(201);
    expect((await owner.post('/v1/users', { email: `p-${uniq()}@x.example`, name: 'P', role: 'partner_admin' })).status).to.equal(403);
    expect((await owner.post('/v1/users', { email: `x-${uniq()}@x.example`, name: 'X', role: 'account_member', accountId: w.A.account2 })).status).to.equal(404);
  });

  it('R3: vendor roles cannot be created by partners, and roles change only within their family', async () => {
    expect((await as(w.A.pa.token).post('/v1/users', { email: `v-${uniq()}@x.example`, name: 'V', role: 'platform_admin' })).status).to.equal(403);
    expect((await as(w.A.pa.token).patch(`/v1/users/${w.A.pv.id}`, { role: 'partner_operator' })).body.role).to.equal('partner_operator');
    expect((await as(w.A.pa.token).patch(`/v1/users/${w.A.pv.id}`, { role: 'account_member' })).status).to.equal(422);
    expect((await as(w.A.pa.token).patch(`/v1/users/${w.A.pa.id}`, { role: 'partner_viewer' })).status).to.equal(409);
    expect((await as(w.A.po.token).patch(`/v1/users/${w.A.po.id}`, { role: 'partner_admin' })).status).to.equal(403);
    expect((await as(w.A.po.token).patch(`/v1/users/${w.A.po.id}`, { name: 'Me' })).body.name).to.equal('Me');
  });

  it('conflicts: a taken email, a second deactivation and deactivating oneself are 409', async () => {
    expect((await as(w.A.pa.token).post('/v1/users', { email: w.B.pa.email.toUpperCase(), name: 'Dup', role: 'partner_viewer' })).status).to.equal(409);
    expect((await as(w.A.pa.token).post(`/v1/accounts/${w.A.account2}/deactivate`, { reason: 'closed' })).status).to.equal(200);
    expect((await as(w.A.pa.token).post(`/v1/accounts/${w.A.account2}/deactivate`, { reason: 'closed' })).status).to.equal(409);
    expect((await as(w.A.pa.token).post(`/v1/users/${w.A.pa.id}/deactivate`, { reason: 'bye' })).status).to.equal(409);
  });

  it('R11: history records who, when, from, to and why, and is readable by whoever may read the object', async () => {
    await as(w.A.pa.token).patch(`/v1/users/${w.A.pv.id}`, { role: 'partner_operator' });
    await as(w.A.pa.token).post(`/v1/users/${w.A.pv.id}/deactivate`, { reason: 'left the company' });
    const hist = await as(w.A.po.token).get(`/v1/users/${w.A.pv.id}/history`);
    expect(hist.status).to.equal(200);
    const [role, deact] = hist.body.items;
    expect(role).to.include({ action: 'role_changed', from: 'partner_viewer', to: 'partner_operator', actorUserId: w.A.pa.id, actorKind: 'user' });
    expect(deact).to.include({ action: 'deactivated', from: 'active', to: 'deactivated', reason: 'left the company', actorUserId: w.A.pa.id });
    expect(Date.parse(deact.at)).to.be.closeTo(Date.now(), 60_000);
    expect((await as(w.B.pa.token).get(`/v1/users/${w.A.pv.id}/history`)).status).to.equal(404);
  });

  it('R1: deactivating an account revokes its users\' tokens in the same transaction', async () => {
    await as(w.A.pa.token).post(`/v1/accounts/${w.A.account}/deactivate`, { reason: 'fraud' });
    const [row] = await harness.ds.query(`SELECT count(*)::int AS n FROM api_tokens WHERE account_id = $1 AND revoked_at IS NULL`, [w.A.account]);
    expect(row.n).to.equal(0);
    expect((await as(w.A.af.token).get('/v1/me')).status).to.equal(401);
  });
});
