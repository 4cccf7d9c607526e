import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pay-as-you-go (R20, R23, R24): usage records (idempotent by the caller's usage id), billing
 * cycles, one bill per account, product and currency per cycle, and which coupons paid what.
 * cash_due = amount - coupon_deduction is a CHECK.
 */
export class PaygBilling1763920000000 implements MigrationInterface {
  name = 'PaygBilling1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usage_records (
        tenant_id uuid NOT NULL,
        account_id uuid NOT NULL,
        usage_id text NOT NULL CHECK (length(usage_id) BETWEEN 1 AND 128),
        product_code text NOT NULL REFERENCES products (code),
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount >= 0),
        occurred_at timestamptz NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, account_id, usage_id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX usage_records_time_idx ON usage_records (occurred_at)`);
    // Vendor-level: a cycle bills every tenant's usage of one period.
    await q.query(`
      CREATE TABLE billing_cycles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        period text NOT NULL CHECK (period IN ('hourly','daily')),
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL CHECK (period_end > period_start),
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running','done')),
        bills_total integer NOT NULL DEFAULT 0,
        bills_done integer NOT NULL DEFAULT 0,
        started_by uuid,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        finished_at timestamptz,
        UNIQUE (period, period_start)
      )`);
    await q.query(`
      CREATE TABLE bills (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        cycle_id uuid NOT NULL REFERENCES billing_cycles (id),
        product_code text NOT NULL REFERENCES products (code),
        currency char(3) NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        amount bigint NOT NULL CHECK (amount >= 0),
        coupon_deduction bigint NOT NULL DEFAULT 0 CHECK (coupon_deduction >= 0),
        cash_due bigint NOT NULL,
        coupons_applied_at timestamptz,
        status text NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid','paid','overdue')),
        due_at timestamptz NOT NULL,
        settled_at timestamptz,
        settled_by uuid,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, cycle_id, account_id, product_code, currency),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        CONSTRAINT bills_reconcile CHECK (cash_due = amount - coupon_deduction AND coupon_deduction <= amount)
      )`);
    await q.query(`CREATE UNIQUE INDEX bills_id_key ON bills (id)`);
    await q.query(`CREATE INDEX bills_account_idx ON bills (tenant_id, account_id, period_start)`);
    await q.query(`CREATE INDEX bills_unapplied_idx ON bills (cycle_id, tenant_id, account_id) WHERE coupons_applied_at IS NULL`);
    await q.query(`CREATE INDEX bills_overdue_idx ON bills (tenant_id, account_id) WHERE status = 'overdue'`);
    await q.query(`CREATE INDEX bills_due_idx ON bills (due_at) WHERE status = 'unpaid'`);
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
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['bill_deductions', 'bills', 'billing_cycles', 'usage_records']) await q.query(`DROP TABLE ${t}`);
  }
}
