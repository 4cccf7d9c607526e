import { expect } from 'chai';
import { buildWorld } from '../support/world';
import { ensureProducts } from '../support/coupons-world';
import { ownDatabase, type OwnDatabase } from '../support/own-database';
import { reconcileWith } from '../../src/reconcile/reconcile';

const BUDGET_CHAIN = 1764000000000;

/** Reverts migrations until the budget chain's is undone (later ones first), on a database of its own. */
async function revertThroughBudgetChain(own: OwnDatabase): Promise<number> {
  let undone = 0;
  for (;;) {
    const [last]: { timestamp: string }[] = await own.ds.query(`SELECT timestamp::text FROM schema_migrations ORDER BY timestamp DESC LIMIT 1`);
    if (!last || Number(last.timestamp) < BUDGET_CHAIN) return undone;
    await own.ds.undoLastMigration({ transaction: 'each' });
    undone++;
  }
}

/**
 * R5 -> R36: the partner budgets of before the chain move into budgets without losing a figure,
 * and fold back on revert. Run on a clone of the migrated template, taken back to before the chain.
 */
describe('R5 R36 budget chain migration: partner budgets in, figure for figure, and back', () => {
  it('amount -> granted; used -> what open requests hold (reserved, per request) + the rest (committed); revert restores amount and used', async () => {
    const own = await ownDatabase();
    try {
      const undone = await revertThroughBudgetChain(own);
      await ensureProducts(own.ds);
      const w = await buildWorld(own.ds); // its reseller's partner-borne request (5000) is open
      await own.ds.query(
        `INSERT INTO partner_budgets (tenant_id, partner_id, currency, amount, used) VALUES ($1, $1, 'USD', 20000, 7000), ($1, $2, 'USD', 8000, 5000)`,
        [w.A.partner, w.A.reseller],
      );
      await own.ds.runMigrations({ transaction: 'each' });

      const budgets: { partner_id: string; kind: string; granted: string; allocated: string; reserved: string; committed: string }[] = await own.ds.query(
        `SELECT partner_id, kind, granted::text, allocated::text, reserved::text, committed::text FROM budgets WHERE tenant_id = $1 ORDER BY budgets.granted DESC`,
        [w.A.partner],
      );
      expect(budgets).to.deep.equal([
        { partner_id: w.A.partner, kind: 'partner', granted: '20000', allocated: '0', reserved: '0', committed: '7000' },
        { partner_id: w.A.reseller, kind: 'partner', granted: '8000', allocated: '0', reserved: '5000', committed: '0' },
      ]);
      const [req]: { budget_id: string | null }[] = await own.ds.query(`SELECT budget_id FROM issuance_requests WHERE id = $1`, [w.A.reqR]);
      const [held]: { n: string }[] = await own.ds.query(
        `SELECT coalesce(sum(amount), 0)::text AS n FROM budget_ledger WHERE request_id = $1 AND type = 'reserve' AND budget_id = $2`,
        [w.A.reqR, req?.budget_id],
      );
      expect(held?.n).to.equal('5000');
      const report = await reconcileWith(own.ds.manager);
      expect(report.budgets.mismatches, JSON.stringify(report.budgets)).to.deep.equal([]);
      expect(report.budgets.checked).to.equal(2);

      expect(await revertThroughBudgetChain(own)).to.equal(undone);
      const back = await own.ds.query(`SELECT partner_id, amount::text, used::text FROM partner_budgets ORDER BY partner_budgets.amount DESC`);
      expect(back).to.deep.equal([
        { partner_id: w.A.partner, amount: '20000', used: '7000' },
        { partner_id: w.A.reseller, amount: '8000', used: '5000' },
      ]);
    } finally {
      await own.drop();
    }
  });
});
