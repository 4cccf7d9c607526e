import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A billing cycle that can never succeed (its data breaks a rule: a usage total past what a bill
 * can hold) stops as `failed`, with the reason, for the platform admin to see, instead of retrying
 * and staying `running` for ever. (That cycles never overlap, so that no usage is billed twice, is
 * kept where cycles are started, under one lock: see billing.routes.ts.)
 */
export class BillingPeriods1763990000000 implements MigrationInterface {
  name = 'BillingPeriods1763990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing_cycles DROP CONSTRAINT billing_cycles_status_check`);
    await q.query(`ALTER TABLE billing_cycles ADD CONSTRAINT billing_cycles_status_check CHECK (status IN ('running','done','failed'))`);
    await q.query(`ALTER TABLE billing_cycles ADD COLUMN failure text, ADD CONSTRAINT billing_cycles_failure CHECK ((status = 'failed') = (failure IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE billing_cycles SET status = 'running' WHERE status = 'failed'`);
    await q.query(`ALTER TABLE billing_cycles DROP CONSTRAINT billing_cycles_failure, DROP COLUMN failure`);
    await q.query(`ALTER TABLE billing_cycles DROP CONSTRAINT billing_cycles_status_check`);
    await q.query(`ALTER TABLE billing_cycles ADD CONSTRAINT billing_cycles_status_check CHECK (status IN ('running','done'))`);
  }
}
