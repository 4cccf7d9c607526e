import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product catalog, partner budgets, coupon templates, issuance requests and their per-account
 * items, the R7 claims that make `once` hold under concurrency, coupons and their ledger.
 * Money columns are bigint minor units with the currency beside them.
 */
export class CouponIssuance1763890000000 implements MigrationInterface {
  name = 'CouponIssuance1763890000000';

  async up(q: QueryRunner): Promise<void> {
    // Vendor reference data (a Citus reference table later): no tenant.
    await q.query(`
      CREATE TABLE products (
        code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
        name text NOT NULL,
        category text NOT NULL,
        refundable boolean NOT NULL DEFAULT true,
        excluded_from_general boolean NOT NULL DEFAULT false,
        marketplace boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // R5: a partner's budget for partner-borne coupons, per currency. `used` counts reserved and
    // issued face value; it only comes back when a request is rejected, cancelled, expires or an
    // account fails to receive its coupon.
    await q.query(`
      CREATE TABLE partner_budgets (
        tenant_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount >= 0),
        used bigint NOT NULL DEFAULT 0 CHECK (used >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, partner_id, currency),
        FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE coupon_templates (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        currency char(3) NOT NULL,
        face_value bigint NOT NULL CHECK (face_value > 0),
        cost_bearer text NOT NULL CHECK (cost_bearer IN ('vendor','partner')),
        issue_limit text NOT NULL CHECK (issue_limit IN ('once','unlimited')),
        validity_kind text NOT NULL CHECK (validity_kind IN ('fixed','relative')),
        valid_from timestamptz,
        valid_until timestamptz,
        valid_days integer CHECK (valid_days BETWEEN 1 AND 3650),
        usage text NOT NULL CHECK (usage IN ('one_time','reusable')),
        product_codes text[] NOT NULL DEFAULT '{}',
        billing_modes text[] NOT NULL,
        scenarios text[] NOT NULL DEFAULT '{}',
        min_spend bigint CHECK (min_spend > 0),
        max_duration_months integer CHECK (max_duration_months > 0),
        allow_promotional boolean NOT NULL DEFAULT false,
        cap_count integer CHECK (cap_count > 0),
        cap_amount bigint CHECK (cap_amount > 0),
        committed_count integer NOT NULL DEFAULT 0,
        committed_amount bigint NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','archived')),
        locked_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
        CONSTRAINT templates_validity CHECK (
          (validity_kind = 'fixed' AND valid_from IS NOT NULL AND valid_until > valid_from AND valid_days IS NULL)
          OR (validity_kind = 'relative' AND valid_days IS NOT NULL AND valid_from IS NULL AND valid_until IS NULL)),
        -- R4 cap: concurrent requests cannot pass it (conditional update + these checks).
        CONSTRAINT templates_cap_count CHECK (cap_count IS NULL OR committed_count <= cap_count),
        CONSTRAINT templates_cap_amount CHECK (cap_amount IS NULL OR committed_amount <= cap_amount)
      )`);
    await q.query(`CREATE UNIQUE INDEX coupon_templates_id_key ON coupon_templates (id)`);
    await q.query(`CREATE INDEX coupon_templates_partner_idx ON coupon_templates (tenant_id, partner_id, created_at)`);

    await q.query(`
      CREATE TABLE issuance_requests (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL,
        template_id uuid NOT NULL,
        cost_bearer text NOT NULL CHECK (cost_bearer IN ('vendor','partner')),
        currency char(3) NOT NULL,
        face_value bigint NOT NULL CHECK (face_value > 0),
        total_accounts integer NOT NULL CHECK (total_accounts BETWEEN 1 AND 10000),
        total_face_value bigint NOT NULL,
        status text NOT NULL CHECK (status IN ('submitted','pending_approval','approved','issuing','issued',
          'issued_with_failures','rejected','cancelled','expired')),
        issued_count integer NOT NULL DEFAULT 0,
        failed_count integer NOT NULL DEFAULT 0,
        submitted_by uuid NOT NULL,
        decided_by uuid,
        decided_at timestamptz,
        decision_reason text,
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
        FOREIGN KEY (tenant_id, template_id) REFERENCES coupon_templates (tenant_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX issuance_requests_id_key ON issuance_requests (id)`);
    await q.query(`CREATE INDEX issuance_requests_partner_idx ON issuance_requests (tenant_id, partner_id, created_at)`);
    await q.query(`CREATE INDEX issuance_requests_pending_idx ON issuance_requests (created_at) WHERE status = 'pending_approval'`);

    // The accounts a request names: written once at submission, never updated. Whether each got
    // its coupon is read from coupons (unique per request and account) and issuance_failures, so
    // issuing never has to update a row per account.
    await q.query(`
      CREATE TABLE issuance_items (
        tenant_id uuid NOT NULL,
        request_id uuid NOT NULL,
        account_id uuid NOT NULL,
        PRIMARY KEY (tenant_id, request_id, account_id),
        FOREIGN KEY (tenant_id, request_id) REFERENCES issuance_requests (tenant_id, id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
      )`);
    await q.query(`
      CREATE TABLE issuance_failures (
        tenant_id uuid NOT NULL,
        request_id uuid NOT NULL,
        account_id uuid NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, request_id, account_id),
        FOREIGN KEY (tenant_id, request_id, account_id) REFERENCES issuance_items (tenant_id, request_id, account_id)
      )`);

    // R7: a `once` template reaches an account at most once, ever. A claim is taken at submission
    // and kept once issued; it is released if the request or the account's item does not issue.
    await q.query(`
      CREATE TABLE template_account_claims (
        tenant_id uuid NOT NULL,
        template_id uuid NOT NULL,
        account_id uuid NOT NULL,
        request_id uuid NOT NULL,
        PRIMARY KEY (tenant_id, template_id, account_id),
        FOREIGN KEY (tenant_id, template_id) REFERENCES coupon_templates (tenant_id, id),
        FOREIGN KEY (tenant_id, request_id) REFERENCES issuance_requests (tenant_id, id)
      )`);

    // R8: a coupon carries its own copy of the rules it was issued under.
    await q.query(`
      CREATE TABLE coupons (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        template_id uuid NOT NULL,
        request_id uuid NOT NULL,
        currency char(3) NOT NULL,
        face_value bigint NOT NULL CHECK (face_value > 0),
        balance bigint NOT NULL CHECK (balance >= 0 AND balance <= face_value),
        status text NOT NULL CHECK (status IN ('unused','used','expired','pending_activation','revoked')),
        cost_bearer text NOT NULL,
        usage text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL CHECK (valid_until > valid_from),
        product_codes text[] NOT NULL,
        billing_modes text[] NOT NULL,
        scenarios text[] NOT NULL,
        min_spend bigint,
        max_duration_months integer,
        allow_promotional boolean NOT NULL,
        rules jsonb NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, request_id, account_id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        FOREIGN KEY (tenant_id, request_id) REFERENCES issuance_requests (tenant_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX coupons_id_key ON coupons (id)`);
    await q.query(`CREATE INDEX coupons_account_idx ON coupons (tenant_id, account_id, valid_until)`);

    // R25/R26: every change of a balance is a row here, in the same transaction.
    await q.query(`
      CREATE TABLE coupon_ledger (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        coupon_id uuid NOT NULL,
        account_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('issue','deduct','return','reclaim','expire','revoke')),
        amount bigint NOT NULL,
        balance_after bigint NOT NULL CHECK (balance_after >= 0),
        order_id uuid,
        bill_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX coupon_ledger_coupon_idx ON coupon_ledger (tenant_id, coupon_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['coupon_ledger', 'coupons', 'template_account_claims', 'issuance_failures', 'issuance_items', 'issuance_requests', 'coupon_templates', 'partner_budgets', 'products']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
