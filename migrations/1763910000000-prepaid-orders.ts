import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Prepaid orders (R21, R22, R26): one coupon at most per order; total = coupon deduction + cash,
 * held by a CHECK. The idempotency key is unique per account, so a replayed payment finds the first.
 */
export class PrepaidOrders1763910000000 implements MigrationInterface {
  name = 'PrepaidOrders1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        currency char(3) NOT NULL,
        scenario text NOT NULL CHECK (scenario IN ('purchase','renewal','upgrade','os_change','trial_conversion')),
        promotional boolean NOT NULL,
        paid_on_behalf boolean NOT NULL,
        total bigint NOT NULL CHECK (total > 0),
        coupon_id uuid,
        coupon_deduction bigint NOT NULL CHECK (coupon_deduction >= 0),
        cash bigint NOT NULL CHECK (cash >= 0),
        status text NOT NULL DEFAULT 'paid' CHECK (status IN ('paid','refunded')),
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, account_id, idempotency_key),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
        CONSTRAINT orders_reconcile CHECK (total = coupon_deduction + cash),
        CONSTRAINT orders_deduction_needs_coupon CHECK (coupon_id IS NOT NULL OR coupon_deduction = 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX orders_id_key ON orders (id)`);
    await q.query(`CREATE INDEX orders_account_idx ON orders (tenant_id, account_id, created_at)`);
    await q.query(`
      CREATE TABLE order_items (
        tenant_id uuid NOT NULL,
        order_id uuid NOT NULL,
        line smallint NOT NULL,
        product_code text NOT NULL REFERENCES products (code),
        amount bigint NOT NULL CHECK (amount > 0),
        duration_months integer CHECK (duration_months > 0),
        PRIMARY KEY (tenant_id, order_id, line),
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX coupon_ledger_order_idx ON coupon_ledger (tenant_id, order_id) WHERE order_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX coupon_ledger_order_idx`);
    await q.query(`DROP TABLE order_items`);
    await q.query(`DROP TABLE orders`);
  }
}
