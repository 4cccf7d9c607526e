import { expect } from 'chai';
import { harness } from '../support/harness';
import { as, call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { ensureProducts, insertCoupon } from '../support/coupons-world';
import { insertLedgerMoves } from '../support/deductions';
import { first } from '../../src/db/rows';

/** R25: a coupon's ledger reads in the order it was written, and its pages never skip a row. */
describe('R25 a coupon ledger is ordered and paged by entry number', () => {
  let w: World;
  before(ensureProducts);
  beforeEach(async () => {
    w = await buildWorld(harness.ds);
  });

  it('R25: past a power of ten of entry ids, the ledger JSON (paged by 5) and the CSV list every entry in order: issue first, none skipped', async () => {
    // The next entries cross a power of ten (…98, …99, 1…00): sorted as text, "100" would come before "98".
    await harness.ds.query(
      `SELECT setval(pg_get_serial_sequence('coupon_ledger', 'id'), power(10, ceil(log(10, greatest(last_value, 10) + 10)))::bigint - 4)
         FROM pg_sequences WHERE sequencename = 'coupon_ledger_id_seq'`,
    );
    const coupon = await insertCoupon(w.A.couponD, w.A.account, { balance: 10_000 });
    const t0 = Date.now() - 3_600_000;
    await insertLedgerMoves(coupon, Array.from({ length: 12 }, (_, i) => ({ type: 'deduct' as const, amount: 100 + i, at: new Date(t0 + i * 1000) })));

    const entries: { id: string; type: string; balanceAfter: string }[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await as(w.A.af.token).get(`/v1/coupons/${coupon}/ledger?limit=5${after ? `&after=${after}` : ''}`);
      expect(res.status).to.equal(200);
      entries.push(...res.body.items);
      after = res.body.next;
      pages++;
    } while (after);
    expect(pages).to.equal(3);
    expect(entries).to.have.length(13);
    const ids = entries.map((e) => BigInt(e.id));
    expect(ids).to.deep.equal([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(ids).size).to.equal(13);
    expect(first(entries).type).to.equal('issue');
    expect(entries.map((e) => e.balanceAfter)).to.deep.equal(['10000', ...Array.from({ length: 12 }, (_, i) => String(10_000 - (i + 1) * 100 - (i * (i + 1)) / 2))]);

    const csv = await call('GET', `/v1/coupons/${coupon}/ledger.csv`, { token: w.A.af.token });
    const rows = String(csv.body).trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',')[3])).to.deep.equal(entries.map((e) => e.balanceAfter));
  });

  it('R25: an entry id past the largest bigint, or no number at all, is a 400 naming the field, not a 500', async () => {
    for (const after of ['9999999999999999999', '%3Cscript%3E', '%5Bnull%5D']) {
      const res = await as(w.A.af.token).get(`/v1/coupons/${w.A.couponD}/ledger?after=${after}`);
      expect(res.status, after).to.equal(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field), after).to.include('query.after');
    }
  });
});
