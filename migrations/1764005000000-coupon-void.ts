import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R35: a revoked coupon says when and why, on its own row: the wallet, GET /v1/coupons/:id and the
 * partner's request items show it without reading the audit log (who did it is the audit row's,
 * R11). A CHECK keeps the two columns set exactly while the coupon is `revoked`. Coupons revoked
 * before (vouchers reclaimed into their pool, R32) take the time and reason of their audit row.
 */
export class CouponVoid1764005000000 implements MigrationInterface {
  name = 'CouponVoid1764005000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE coupons ADD COLUMN revoked_at timestamptz, ADD COLUMN revoked_reason text`);
    await q.query(`
      UPDATE coupons c SET revoked_at = coalesce(a.at, now()), revoked_reason = coalesce(a.reason, 'revoked')
        FROM coupons x
        LEFT JOIN LATERAL (
          SELECT e.at, e.reason FROM audit_events e
           WHERE e.object_type = 'coupon' AND e.object_id = x.id AND e.to_status = 'revoked'
           ORDER BY e.at DESC, e.id DESC LIMIT 1
        ) a ON TRUE
       WHERE x.tenant_id = c.tenant_id AND x.id = c.id AND c.status = 'revoked'`);
    await q.query(`
      ALTER TABLE coupons ADD CONSTRAINT coupons_revoked CHECK (
        (status = 'revoked') = (revoked_at IS NOT NULL) AND (revoked_at IS NULL) = (revoked_reason IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE coupons DROP CONSTRAINT coupons_revoked, DROP COLUMN revoked_reason, DROP COLUMN revoked_at`);
  }
}
