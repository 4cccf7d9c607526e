import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World } from '../support/world';

/**
 * R2, R9: a BD's own decisions (GET /v1/approval-decisions), read by the web app's "My decisions"
 * page. The requests are pending ones of the world, decided through the API.
 */
describe('R2 R9 a BD lists its own decisions', () => {
  let w: World;
  // Three more pending vendor-borne requests of tree A, copied from the world's own.
  const pending = async (n: number): Promise<string[]> => {
    const rows: { id: string }[] = await harness.ds.query(
      `INSERT INTO issuance_requests (tenant_id, id, partner_id, template_id, cost_bearer, currency, face_value, total_accounts, total_face_value, status, submitted_by, expires_at)
       SELECT tenant_id, gen_random_uuid(), partner_id, template_id, cost_bearer, currency, face_value, total_accounts, total_face_value, 'pending_approval', submitted_by, expires_at
         FROM issuance_requests, generate_series(1, $2) WHERE id = $1 RETURNING id`,
      [w.A.reqD, n],
    );
    return rows.map((r) => r.id);
  };

  before(async () => {
    w = await buildWorld(harness.ds);
  });

  it('R2 R9: newest decision first, with outcome filter, names, and every page walked once; other people see none of them', async () => {
    const [a, b, c] = await pending(3);
    for (const [id, action] of [[a, 'approve'], [b, 'reject'], [c, 'approve'], [w.A.reqD, 'reject']] as const) {
      const res = await as(w.bd.token).post(`/v1/issuance-requests/${id}/${action}`, action === 'reject' ? { reason: 'budget is spent for the quarter' } : undefined);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }
    const all = await as(w.bd.token).get('/v1/approval-decisions');
    expect(all.status, JSON.stringify(all.body)).to.equal(200);
    expect(all.body.items.map((i: { id: string }) => i.id)).to.deep.equal([w.A.reqD, c, b, a]);
    expect(all.body.items[0]).to.deep.include({ status: 'rejected', decidedBy: w.bd.id, decisionReason: 'budget is spent for the quarter', templateName: 'tpl-a' });
    expect(all.body.items[0].partnerName).to.match(/^dist-a-/);

    const rejected = await as(w.bd.token).get('/v1/approval-decisions?outcome=rejected');
    expect(rejected.body.items.map((i: { id: string }) => i.id)).to.deep.equal([w.A.reqD, b]);
    const approved = await as(w.bd.token).get('/v1/approval-decisions?outcome=approved');
    expect(approved.body.items.map((i: { id: string }) => i.id)).to.deep.equal([c, a]);

    // The approval detail's past decisions carry their currency, so the web app can show the amounts.
    const detail = await as(w.bd.token).get(`/v1/approval-queue/${a}`);
    expect(detail.body.pastDecisions.recent[0]).to.deep.include({ id: w.A.reqD, currency: 'USD', totalFaceValue: '5000', status: 'rejected' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await as(w.bd.token).get(`/v1/approval-decisions?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).to.equal(200);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal([w.A.reqD, c, b, a]);

    for (const p of [w.otherBd, w.A.pa, w.admin]) {
      const res = await as(p.token).get('/v1/approval-decisions');
      expect(res.status).to.equal(200);
      expect(res.body.items, p.role).to.deep.equal([]);
    }
  });

  it('R2: decisions on a partner no longer assigned to the BD drop out of its list', async () => {
    const [x] = await pending(1);
    expect((await as(w.bd.token).post(`/v1/issuance-requests/${x}/approve`)).status).to.equal(200);
    await harness.ds.query(`UPDATE partners SET bd_user_id = $1 WHERE id = $2`, [w.otherBd.id, w.A.partner]);
    try {
      expect((await as(w.bd.token).get('/v1/approval-decisions')).body.items).to.deep.equal([]);
    } finally {
      await harness.ds.query(`UPDATE partners SET bd_user_id = $1 WHERE id = $2`, [w.bd.id, w.A.partner]);
    }
  });

  it('refuses unknown query fields and a cursor it did not issue (400)', async () => {
    expect((await as(w.bd.token).get('/v1/approval-decisions?decidedBy=me')).status).to.equal(400);
    expect((await as(w.bd.token).get('/v1/approval-decisions?outcome=cancelled')).status).to.equal(400);
    expect((await as(w.bd.token).get('/v1/approval-decisions?cursor=bm90LWEtY3Vyc29y')).status).to.equal(400);
  });

  it('is in the OpenAPI document, with its outcome filter', async () => {
    const op = (await call('GET', '/openapi.json')).body.paths['/v1/approval-decisions']?.get;
    expect(op, 'GET /v1/approval-decisions').to.be.an('object');
    expect(op.parameters.map((p: { name: string }) => p.name)).to.include.members(['limit', 'cursor', 'outcome']);
  });
});
