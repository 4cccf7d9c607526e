import { expect } from 'chai';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { buildWorld } from '../support/world';
import { tablesWrittenBy } from '../support/db-fingerprint';

/** The "a refusal writes nothing" check the isolation, bad-input and fuzz tests rely on sees what it must. */
describe('tablesWrittenBy: the nothing-written check', () => {
  it('a read writes nothing; a committed write names its table; a rolled-back write names none', async () => {
    const w = await buildWorld(harness.ds);
    const tenants = [w.A.partner];
    const read = await tablesWrittenBy(harness.ds, () => call('GET', `/v1/partners/${w.A.partner}`, { token: w.A.pa.token }), tenants);
    expect(read.result.status).to.equal(200);
    expect(read.written).to.deep.equal([]);

    const renamed = await tablesWrittenBy(harness.ds, () => call('PATCH', `/v1/partners/${w.A.partner}`, { token: w.A.pa.token, body: { name: 'renamed' } }), tenants);
    expect(renamed.result.status).to.equal(200);
    expect(renamed.written).to.include('partners');

    const undone = await tablesWrittenBy(harness.ds, () => harness.ds.transaction(async (em) => {
      await em.query(`UPDATE partners SET name = 'never' WHERE tenant_id = $1 AND id = $1`, [w.A.partner]);
      throw new Error('roll back');
    }).catch(() => 'rolled back'), tenants);
    expect(undone.result).to.equal('rolled back');
    expect(undone.written).to.deep.equal([]);
  });

  it('a write to a tenant outside the scope is not read; without a scope every table is', async () => {
    const w = await buildWorld(harness.ds);
    let n = 0;
    const rename = () => harness.ds.query(`UPDATE partners SET name = $2 WHERE tenant_id = $1 AND id = $1`, [w.B.partner, `renamed ${++n}`]);
    expect((await tablesWrittenBy(harness.ds, rename, [w.A.partner])).written).to.deep.equal([]);
    expect((await tablesWrittenBy(harness.ds, rename)).written).to.deep.equal(['partners']);
  });
});
