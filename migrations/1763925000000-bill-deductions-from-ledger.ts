import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R24, R26: which coupons paid a bill is read from the ledger. bill_deductions duplicated the
 * `deduct` rows of coupon_ledger that carry the bill's id (same tenant, bill, coupon and amount);
 * two records of one fact can disagree, and each cost a row per deduction. It goes; the ledger gets
 * an index by bill for the statements.
 *
 * The billing cycle now inserts each bill once, with its coupons already applied, in the
 * transaction that makes it. So, on bills:
 * - bills_unapplied_idx goes: no bill is ever without its coupons (coupons_applied_at is set on insert).
 * - The foreign keys to billing_cycles, products and accounts go: a bill is made only by its cycle,
 *   from the cycle row and from usage_records rows whose own foreign keys already hold the product
 *   and the (tenant, account); none of those rows is ever deleted. Each key re-checked that per
 *   inserted row (three lookups and row locks per bill line, about half the insert's cost).
 *   The indexes the readers use stay: the unique cycle key (idempotence), the id (settle),
 *   (tenant, account, period_start) (statements, lists), unpaid due_at (overdue sweep) and overdue
 *   (R20 at checkout).
 *
 * A cycle started by the previous release may have left bills without coupons; the new cycle would
 * skip their accounts, so the migration refuses until such cycles are finished.
 */
export class BillDeductionsFromLedger1763925000000 implements MigrationInterface {
  name = 'BillDeductionsFromLedger1763925000000';

  async up(q: QueryRunner): Promise<void> {
    const [open]: { n: number }[] = await q.query(`SELECT count(*)::int AS n FROM bills WHERE coupons_applied_at IS NULL`);
    // count(*) always answers one row
    if (open!.n > 0) {
      throw new Error(`${open!.n} bills still wait for their coupons: finish the running billing cycles with the previous release, then migrate`);
    }
    await q.query(`ALTER TABLE coupons SET (fillfactor = 85)`);
    await q.query(`CREATE INDEX coupon_ledger_bill_idx ON coupon_ledger (tenant_id, bill_id) WHERE bill_id IS NOT NULL`);
    await q.query(`DROP TABLE bill_deductions`);
    await q.query(`DROP INDEX bills_unapplied_idx`);
    await q.query(`ALTER TABLE bills DROP CONSTRAINT bills_cycle_id_fkey, DROP CONSTRAINT bills_product_code_fkey, DROP CONSTRAINT bills_tenant_id_account_id_fkey`);
    await q.query(`
      ALTER TABLE bills
        DROP CONSTRAINT bills_tenant_id_cycle_id_account_id_product_code_currency_key,
        ADD CONSTRAINT bills_line_key UNIQUE (tenant_id, account_id, period_start, cycle_id, product_code, currency)`);
    await q.query(`DROP INDEX bills_account_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX bills_account_idx ON bills (tenant_id, account_id, period_start)`);
    await q.query(`
      ALTER TABLE bills
        DROP CONSTRAINT bills_line_key,
        ADD CONSTRAINT bills_tenant_id_cycle_id_account_id_product_code_currency_key UNIQUE (tenant_id, cycle_id, account_id, product_code, currency)`);
    await q.query(`
      ALTER TABLE bills
        ADD CONSTRAINT bills_cycle_id_fkey FOREIGN KEY (cycle_id) REFERENCES billing_cycles (id),
        ADD CONSTRAINT bills_product_code_fkey FOREIGN KEY (product_code) REFERENCES products (code),
        ADD CONSTRAINT bills_tenant_id_account_id_fkey FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)`);
    await q.query(`CREATE INDEX bills_unapplied_idx ON bills (cycle_id, tenant_id, account_id) WHERE coupons_applied_at IS NULL`);
    await q.query(`
      CREATE TABLE bill_deductions (
        tenant_id uuid NOT NULL,
        bill_id uuid NOT NULL,
        coupon_id uuid NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        PRIMARY KEY (tenant_id, bill_id, coupon_id),
        FOREIGN KEY (tenant_id, bill_id) REFERENCES bills (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
      )`);
    // Rebuilt from the ledger, which has recorded every deduction since the table was dropped.
    await q.query(`
      INSERT INTO bill_deductions (tenant_id, bill_id, coupon_id, amount)
      SELECT tenant_id, bill_id, coupon_id, -sum(amount) FROM coupon_ledger
       WHERE bill_id IS NOT NULL AND type = 'deduct'
       GROUP BY tenant_id, bill_id, coupon_id HAVING sum(amount) < 0`);
    await q.query(`DROP INDEX coupon_ledger_bill_idx`);
  }
}
