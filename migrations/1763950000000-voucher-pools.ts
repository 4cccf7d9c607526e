import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R32: a platform admin grants a partner a voucher quota (a pool of money in one currency, valid
 * for a window). The partner makes custom vouchers from it (coupons of origin `voucher`, the pool
 * debited by their face value), lets one or more of its accounts share each voucher
 * (coupon_holders) and reclaims what a voucher has left back into its pool. Pool and vouchers
 * each have a ledger; neither balance can go negative.
 */
export class VoucherPools1763950000000 implements MigrationInterface {
  name = 'VoucherPools1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE voucher_pools (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL,
        currency char(3) NOT NULL,
        granted bigint NOT NULL CHECK (granted > 0),
        balance bigint NOT NULL CHECK (balance >= 0 AND balance <= granted),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL CHECK (valid_until > valid_from),
        note text NOT NULL DEFAULT '',
        granted_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX voucher_pools_id_key ON voucher_pools (id)`);
    await q.query(`CREATE INDEX voucher_pools_partner_idx ON voucher_pools (tenant_id, partner_id, created_at)`);
    await q.query(`
      ALTER TABLE coupons
        ADD COLUMN pool_id uuid,
        ADD CONSTRAINT coupons_pool_fk FOREIGN KEY (tenant_id, pool_id) REFERENCES voucher_pools (tenant_id, id),
        ADD CONSTRAINT coupons_voucher_pool CHECK ((origin = 'voucher') = (pool_id IS NOT NULL))`);
    await q.query(`
      CREATE TABLE voucher_pool_ledger (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        pool_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('grant','generate','reclaim')),
        amount bigint NOT NULL CHECK (amount <> 0),
        balance_after bigint NOT NULL CHECK (balance_after >= 0),
        coupon_id uuid,
        actor_user_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, pool_id) REFERENCES voucher_pools (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX voucher_pool_ledger_pool_idx ON voucher_pool_ledger (tenant_id, pool_id, id)`);
    await q.query(`
      CREATE TABLE coupon_holders (
        tenant_id uuid NOT NULL,
        coupon_id uuid NOT NULL,
        account_id uuid NOT NULL,
        added_by uuid NOT NULL,
        added_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, coupon_id, account_id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX coupon_holders_account_idx ON coupon_holders (tenant_id, account_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE coupon_holders`);
    await q.query(`DROP TABLE voucher_pool_ledger`);
    await q.query(`DELETE FROM coupon_ledger l USING coupons c WHERE c.tenant_id = l.tenant_id AND c.id = l.coupon_id AND c.pool_id IS NOT NULL`);
    await q.query(`DELETE FROM coupons WHERE pool_id IS NOT NULL`);
    await q.query(`ALTER TABLE coupons DROP CONSTRAINT coupons_voucher_pool, DROP CONSTRAINT coupons_pool_fk, DROP COLUMN pool_id`);
    await q.query(`DROP TABLE voucher_pools`);
  }
}
