import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The expiry sweep finds due coupons by this index, oldest window first. */
export class CouponExpiry1763900000000 implements MigrationInterface {
  name = 'CouponExpiry1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX coupons_expiry_due_idx ON coupons (valid_until) WHERE status = 'unused'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX coupons_expiry_due_idx`);
  }
}
