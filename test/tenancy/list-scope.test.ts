import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';

/** R1, R2, R3: lists are filtered by the same CASL rules, turned into SQL. */
describe('R1 R2 R3 lists show exactly the caller\'s scope', () => {
  let w: World;
  before(async () => {
    w = await buildWorld(harness.ds);
  });

  const ids = async (token: string, path: string): Promise<string[]> => {
    const items: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await as(token).get(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      items.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  };

  it('R1: a distributor admin lists its own accounts (customers and its reseller\'s billing account), none of another tenant', async () => {
    expect(await ids(w.A.pa.token, '/v1/accounts')).to.have.members([w.A.account, w.A.account2, w.A.resellerAccount]);
  });

  it('R1: a tier-2 reseller lists only its own customers, not its distributor\'s', async () => {
    expect(await ids(w.A.ra.token, '/v1/accounts')).to.have.members([w.A.resellerCustomer]);
  });

  it('R1: account users list only their own account', async () => {
    for (const p of [w.A.ao, w.A.af, w.A.am]) expect(await ids(p.token, '/v1/accounts')).to.deep.equal([w.A.account]);
  });

  it('R1: partners: a distributor sees itself and its reseller; a reseller sees itself', async () => {
    expect(await ids(w.A.pa.token, '/v1/partners')).to.have.members([w.A.partner, w.A.reseller]);
    expect(await ids(w.A.ra.token, '/v1/partners')).to.have.members([w.A.reseller]);
    // R3: an account's users may read no partner at all: refused with the reason, like any forbidden action.
    const refused = await as(w.A.ao.token).get('/v1/partners');
    expect(refused.status).to.equal(403);
    expect(refused.body.error).to.deep.include({ code: 'forbidden', message: 'your role may not read this Partner' });
  });

  it('R2: a BD lists only the partners assigned to it (and their resellers)', async () => {
    expect(await ids(w.bd.token, '/v1/partners')).to.have.members([w.A.partner, w.A.reseller]);
    expect(await ids(w.otherBd.token, '/v1/partners')).to.have.members([w.B.partner, w.B.reseller]);
  });

  it('R1: users: an account owner lists its account\'s users; a distributor admin never sees tree B\'s', async () => {
    expect(await ids(w.A.ao.token, '/v1/users')).to.have.members([w.A.ao.id, w.A.af.id, w.A.am.id]);
    const distributorView = await ids(w.A.pa.token, '/v1/users');
    expect(distributorView).to.include.members([w.A.pa.id, w.A.po.id, w.A.pv.id, w.A.ao.id]);
    const treeB = [w.B.pa, w.B.po, w.B.pv, w.B.ra, w.B.ro, w.B.ao, w.B.af, w.B.am].map((p) => p.id);
    expect(distributorView).to.not.include.any.members(treeB);
    expect(distributorView).to.not.include.members([w.A.ra.id]);
  });

  it('R3: a role that may read no object of a kind is refused the list (403 with the reason), the same for coupons, bills and orders', async () => {
    for (const path of ['/v1/coupons', '/v1/bills', '/v1/orders']) {
      const res = await as(w.A.am.token).get(path);
      expect(res.status, path).to.equal(403);
      expect(res.body.error.code, path).to.equal('forbidden');
    }
    // A role that may read some of them gets exactly those.
    expect(await ids(w.A.af.token, '/v1/orders')).to.deep.equal([w.A.orderD]);
    expect(await ids(w.A.af.token, '/v1/bills')).to.deep.equal([w.A.billD]);
  });

  it('R3: the platform admin lists every tenant', async () => {
    const all = await ids(w.admin.token, '/v1/partners?tier=1');
    expect(all).to.include.members([w.A.partner, w.B.partner]);
  });

  it('R1: filters narrow within scope and cannot widen it', async () => {
    expect(await ids(w.A.pa.token, '/v1/accounts?kind=reseller')).to.deep.equal([w.A.resellerAccount]);
    expect(await ids(w.A.pa.token, `/v1/accounts?partnerId=${w.B.partner}`)).to.deep.equal([]);
  });

  it('pagination walks every row once with a hard maximum page size', async () => {
    const page1 = await as(w.A.pa.token).get('/v1/accounts?limit=2');
    expect(page1.body.items).to.have.length(2);
    const page2 = await as(w.A.pa.token).get(`/v1/accounts?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).to.have.length(1);
    expect(page2.body.nextCursor).to.equal(null);
    const seen = [...page1.body.items, ...page2.body.items].map((i: { id: string }) => i.id);
    expect(new Set(seen).size).to.equal(3);
    expect((await as(w.A.pa.token).get('/v1/accounts?limit=201')).status).to.equal(400);
  });
});
