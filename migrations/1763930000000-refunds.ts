import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds (R27-R30): an order is refunded at most once (unique per order), and its row keeps every
 * term shown to the customer; CHECKs hold the arithmetic (refund = max(cash - fee - due, 0), a
 * five-day refund gives back everything). An order's resource state stands in for the
 * provisioning side (R29: grace and retention periods are not refundable). The refund policy is
 * one vendor-wide row, `none` until a platform admin changes it.
 */
export class Refunds1763930000000 implements MigrationInterface {
  name = 'Refunds1763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE orders ADD COLUMN resource_state text NOT NULL DEFAULT 'active'
        CONSTRAINT orders_resource_state CHECK (resource_state IN ('active','grace_period','retention_period'))`);
    await q.query(`
      CREATE TABLE refunds (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL,
        account_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        currency char(3) NOT NULL,
        rule text NOT NULL CHECK (rule IN ('five_day_full','partial')),
        policy text NOT NULL CHECK (policy IN ('none','proportional')),
        term_class text CHECK (term_class IN ('three_year','two_year','one_year','monthly')),
        subscribed_months integer CHECK (subscribed_months > 0),
        subscribed_ms bigint CHECK (subscribed_ms > 0),
        used_ms bigint NOT NULL CHECK (used_ms >= 0),
        cash_paid bigint NOT NULL CHECK (cash_paid >= 0),
        coupon_id uuid,
        coupon_deduction bigint NOT NULL CHECK (coupon_deduction >= 0),
        fee_rate_bp integer NOT NULL CHECK (fee_rate_bp BETWEEN 0 AND 10000),
        fee_band_months integer,
        handling_fee bigint NOT NULL CHECK (handling_fee >= 0),
        amount_due bigint NOT NULL CHECK (amount_due >= 0),
        cash_refund bigint NOT NULL CHECK (cash_refund >= 0 AND cash_refund <= cash_paid),
        coupon_return bigint NOT NULL CHECK (coupon_return >= 0 AND coupon_return <= coupon_deduction),
        explanation text[] NOT NULL,
        reason text,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, order_id),
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
        CONSTRAINT refunds_terms CHECK (cash_refund = greatest(cash_paid - handling_fee - amount_due, 0)),
        CONSTRAINT refunds_five_day_full CHECK (
          rule <> 'five_day_full' OR (cash_refund = cash_paid AND coupon_return = coupon_deduction AND handling_fee = 0 AND amount_due = 0)),
        CONSTRAINT refunds_partial_has_term CHECK (rule <> 'partial' OR (term_class IS NOT NULL AND subscribed_ms IS NOT NULL)),
        CONSTRAINT refunds_return_needs_coupon CHECK (coupon_id IS NOT NULL OR coupon_deduction = 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX refunds_id_key ON refunds (id)`);
    // Statements by period, and R30's yearly count of five-day refunds per account.
    await q.query(`CREATE INDEX refunds_account_idx ON refunds (tenant_id, account_id, created_at)`);
    // Vendor-level, one row: the platform's refund policy (R28).
    await q.query(`
      CREATE TABLE refund_policy (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        policy text NOT NULL CHECK (policy IN ('none','proportional')),
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`INSERT INTO refund_policy (policy) VALUES ('none')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refund_policy`);
    await q.query(`DROP TABLE refunds`);
    await q.query(`ALTER TABLE orders DROP COLUMN resource_state`);
  }
}
