import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';

describe('R15 product catalog: the platform admin manages it, everyone reads it', () => {
  let w: World;
  before(async () => {
    w = await buildWorld(harness.ds);
  });
  const code = `k${Date.now().toString(36)}`;

  it('R3 R15: a platform admin adds a product with its catalog flags; a second one with the same code is 409', async () => {
    const res = await as(w.admin.token).post('/v1/products', { code, name: 'Kubernetes', category: 'containers', marketplace: true });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.deep.equal({ code, name: 'Kubernetes', category: 'containers', refundable: true, excludedFromGeneral: false, marketplace: true });
    expect((await as(w.admin.token).post('/v1/products', { code, name: 'Again', category: 'x' })).status).to.equal(409);
  });

  it('R3: partners, BDs and accounts read the catalog but cannot change it', async () => {
    for (const p of [w.A.pa, w.bd, w.A.am]) {
      expect((await as(p.token).get(`/v1/products/${code}`)).status, p.role).to.equal(200);
      expect((await as(p.token).get('/v1/products')).body.items.map((i: { code: string }) => i.code), p.role).to.include(code);
      expect((await as(p.token).post('/v1/products', { code: `${code}x`, name: 'N', category: 'c' })).status, p.role).to.equal(403);
      expect((await as(p.token).patch(`/v1/products/${code}`, { name: 'N' })).status, p.role).to.equal(403);
    }
  });

  it('R15: the platform admin changes a product\'s flags; an unknown code is 404', async () => {
    const res = await as(w.admin.token).patch(`/v1/products/${code}`, { excludedFromGeneral: true, refundable: false });
    expect(res.body).to.deep.include({ excludedFromGeneral: true, refundable: false, marketplace: true, name: 'Kubernetes' });
    expect((await as(w.admin.token).patch('/v1/products/no-such-product', { name: 'N' })).status).to.equal(404);
    expect((await as(w.admin.token).get('/v1/products/no-such-product')).status).to.equal(404);
  });
});
