import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R31 offline activation codes. An issuance request now has a kind: to named accounts (as before)
 * or `activation_codes`, a count of coupons that the partner generates once the request is
 * approved. Each such coupon (origin `activation_code`, status `pending_activation`, no account)
 * has one row here with the HMAC of its code, never the code: the code exists only in the CSV
 * answered once at generation. Lookups are per tenant (`tenant_id, code_hash`), like every hot
 * path, so the table can be distributed by tenant.
 */
export class ActivationCodes1763940000000 implements MigrationInterface {
  name = 'ActivationCodes1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE issuance_requests
        ADD COLUMN kind text NOT NULL DEFAULT 'accounts' CHECK (kind IN ('accounts','activation_codes'))`);
    await q.query(`
      CREATE TABLE activation_codes (
        tenant_id uuid NOT NULL,
        coupon_id uuid NOT NULL,
        request_id uuid NOT NULL,
        code_hash bytea NOT NULL CHECK (octet_length(code_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        activated_at timestamptz,
        activated_by uuid,
        PRIMARY KEY (tenant_id, coupon_id),
        UNIQUE (tenant_id, code_hash),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
        FOREIGN KEY (tenant_id, request_id) REFERENCES issuance_requests (tenant_id, id),
        CHECK ((activated_at IS NULL) = (activated_by IS NULL))
      )`);
    // The partner's view of a batch walks it in coupon order.
    await q.query(`CREATE INDEX activation_codes_request_idx ON activation_codes (tenant_id, request_id, coupon_id)`);
    // The expiry sweep also ends codes nobody activated in time (R14): such a coupon is expired
    // (or revoked) and never had a holder.
    await q.query(`CREATE INDEX coupons_pending_expiry_idx ON coupons (valid_until) WHERE status = 'pending_activation'`);
    await q.query(`
      ALTER TABLE coupons
        DROP CONSTRAINT coupons_holder,
        ADD CONSTRAINT coupons_holder CHECK (
          account_id IS NOT NULL OR status = 'pending_activation' OR origin = 'voucher'
          OR (origin = 'activation_code' AND status IN ('expired','revoked')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Coupons of code batches otherwise stay (the previous schema holds them); without their
    // codes, those not yet activated can no longer be.
    await q.query(`DROP INDEX coupons_pending_expiry_idx`);
    await q.query(`DROP TABLE activation_codes`);
    // Codes that expired unactivated never had a holder nor a ledger row: the old shape has no room for them.
    await q.query(`DELETE FROM coupons WHERE origin = 'activation_code' AND account_id IS NULL AND status <> 'pending_activation'`);
    await q.query(`
      ALTER TABLE coupons
        DROP CONSTRAINT coupons_holder,
        ADD CONSTRAINT coupons_holder CHECK (account_id IS NOT NULL OR status = 'pending_activation' OR origin = 'voucher')`);
    await q.query(`ALTER TABLE issuance_requests DROP COLUMN kind`);
  }
}
