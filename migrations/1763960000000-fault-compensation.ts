import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fault compensation (R33). A fault is the vendor's record of an incident on one product: vendor
 * data (a Citus reference table later), no tenant. Which accounts it affected is tenant data, one
 * row per account, with the account's partner so the same CASL rules scope it. A claim is one per
 * account and fault (its unique key decides between concurrent claims); it is stored granted, with
 * the vendor-borne coupon it became, or refused, with the reason, so the answer never changes.
 */
export class FaultCompensation1763960000000 implements MigrationInterface {
  name = 'FaultCompensation1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE faults (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_code text NOT NULL REFERENCES products (code),
        kind text NOT NULL CHECK (kind IN ('unavailability','provisioning_delay','billing_error')),
        cause text NOT NULL CHECK (cause IN ('platform','force_majeure','notified_maintenance','carrier','backbone','customer')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        description text NOT NULL DEFAULT '',
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX faults_created_idx ON faults (created_at, id)`);

    await q.query(`
      CREATE TABLE fault_accounts (
        tenant_id uuid NOT NULL,
        fault_id uuid NOT NULL REFERENCES faults (id),
        account_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        PRIMARY KEY (tenant_id, fault_id, account_id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX fault_accounts_account_idx ON fault_accounts (tenant_id, account_id)`);
    await q.query(`CREATE INDEX fault_accounts_partner_idx ON fault_accounts (tenant_id, partner_id)`);
    await q.query(`CREATE INDEX fault_accounts_fault_idx ON fault_accounts (fault_id)`);

    await q.query(`
      CREATE TABLE compensation_claims (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        fault_id uuid NOT NULL,
        account_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('granted','refused')),
        amount bigint CHECK (amount > 0),
        currency char(3),
        refusal_code text,
        refusal_reason text,
        coupon_id uuid,
        terms jsonb NOT NULL,
        claimed_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, fault_id, account_id),
        UNIQUE (tenant_id, coupon_id),
        FOREIGN KEY (tenant_id, fault_id, account_id) REFERENCES fault_accounts (tenant_id, fault_id, account_id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
        CONSTRAINT compensation_claims_outcome CHECK (
          (status = 'granted' AND amount IS NOT NULL AND currency IS NOT NULL AND coupon_id IS NOT NULL AND refusal_code IS NULL)
          OR (status = 'refused' AND refusal_code IS NOT NULL AND refusal_reason IS NOT NULL AND coupon_id IS NULL AND amount IS NULL))
      )`);
    await q.query(`CREATE INDEX compensation_claims_account_idx ON compensation_claims (tenant_id, account_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Coupons granted for claims stay: they are ordinary `compensation` coupons with their ledger.
    for (const t of ['compensation_claims', 'fault_accounts', 'faults']) await q.query(`DROP TABLE ${t}`);
  }
}
