import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a coupon comes from (R31-R33). Until now every coupon came from an issuance request to a
 * known account. Now also:
 * - `activation_code`: issued from an approved request with no account yet (status
 *   `pending_activation`); the account is bound when a code is activated (R31);
 * - `voucher`: made from a partner's quota pool, with no template or request, held by one or more
 *   accounts for shared use (R32);
 * - `compensation`: granted by the vendor for a fault, with no template or request (R33).
 * A ledger row names the account that spent, got or returned money; rows about the coupon itself
 * before anyone holds it (a voucher's issue or reclaim) have none.
 */
export class CouponOrigins1763935000000 implements MigrationInterface {
  name = 'CouponOrigins1763935000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE coupons
        ADD COLUMN origin text NOT NULL DEFAULT 'issuance'
          CHECK (origin IN ('issuance','activation_code','voucher','compensation')),
        ALTER COLUMN account_id DROP NOT NULL,
        ALTER COLUMN template_id DROP NOT NULL,
        ALTER COLUMN request_id DROP NOT NULL,
        ADD CONSTRAINT coupons_origin_refs CHECK (
          origin IN ('voucher','compensation') OR (template_id IS NOT NULL AND request_id IS NOT NULL)),
        ADD CONSTRAINT coupons_holder CHECK (
          account_id IS NOT NULL OR status = 'pending_activation' OR origin = 'voucher')`);
    await q.query(`ALTER TABLE coupon_ledger ALTER COLUMN account_id DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Coupons that the old shape cannot hold go, with their ledger rows.
    await q.query(`DELETE FROM coupon_ledger l USING coupons c
                    WHERE c.tenant_id = l.tenant_id AND c.id = l.coupon_id AND (c.origin <> 'issuance' OR c.account_id IS NULL)`);
    await q.query(`DELETE FROM coupon_ledger WHERE account_id IS NULL`);
    await q.query(`DELETE FROM coupons WHERE origin <> 'issuance' OR account_id IS NULL`);
    await q.query(`ALTER TABLE coupon_ledger ALTER COLUMN account_id SET NOT NULL`);
    await q.query(`
      ALTER TABLE coupons
        DROP CONSTRAINT coupons_holder,
        DROP CONSTRAINT coupons_origin_refs,
        ALTER COLUMN request_id SET NOT NULL,
        ALTER COLUMN template_id SET NOT NULL,
        ALTER COLUMN account_id SET NOT NULL,
        DROP COLUMN origin`);
  }
}
