import path from 'node:path';
import { expect } from 'chai';
import { sourcesMatching } from '../support/sources';

const WRITER = path.join('coupons', 'ledger.sql.ts');

/**
 * R25 R26: coupon money has one writer. Every change of a coupon's balance or status is built by
 * src/coupons/ledger.sql.ts (debit, credit, write-off, each with its ledger row); a second module
 * that writes the ledger or updates coupons fails this test.
 */
describe('R25 R26 coupon money has exactly one writer', () => {
  it('R25 R26: no source module but src/coupons/ledger.sql.ts inserts coupon_ledger rows or updates coupons', () => {
    expect(sourcesMatching(/insert\s+into\s+coupon_ledger\b|update\s+coupons\b/i)).to.deep.equal([WRITER]);
  });

  it('R25 R26: every money path builds its writes from it', () => {
    expect(sourcesMatching(/from '\.{1,2}\/(\.\.\/)*(coupons\/)?ledger\.sql'/)).to.deep.equal(
      [
        'billing/billing-cycle.job.ts', 'compensation/grant-coupon.ts', 'coupons/expire-sweep.job.ts', 'coupons/return-to-coupon.ts', 'coupons/void-coupons.ts',
        'issuance/activate-code.ts', 'issuance/issue-chunk.sql.ts', 'orders/pay.ts', 'vouchers/vouchers.ts',
      ].map((f) => path.join(...f.split('/'))),
    );
  });
});
