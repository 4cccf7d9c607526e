import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R36: budgets per partner, kind (vendor-borne, partner-borne), currency and period, whose figures
 * are the sum of a budget ledger (grant, lower, allocate, deallocate, reserve, release, commit,
 * revoke), and the budget each issuance request draws on.
 *
 * The partner budgets of R5 (one amount and one `used` per partner and currency, no period) move
 * into partner-borne budgets of the calendar quarter the migration runs in, figure for figure:
 * amount -> granted; of `used`, what open requests hold -> reserved (one `reserve` row per request,
 * so each can later commit or release its own), the rest -> committed. `down` folds them back.
 */
export class BudgetChain1764000000000 implements MigrationInterface {
  name = 'BudgetChain1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE budgets (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('vendor','partner')),
        currency char(3) NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        parent_budget_id uuid,
        granted bigint NOT NULL DEFAULT 0 CHECK (granted >= 0),
        allocated bigint NOT NULL DEFAULT 0 CHECK (allocated >= 0),
        reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        committed bigint NOT NULL DEFAULT 0 CHECK (committed >= 0),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, partner_id, kind, currency, period_start),
        CONSTRAINT budgets_period CHECK (period_end > period_start),
        CONSTRAINT budgets_available CHECK (granted >= allocated + reserved + committed),
        FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
        FOREIGN KEY (tenant_id, parent_budget_id) REFERENCES budgets (tenant_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX budgets_id_key ON budgets (id)`);
    await q.query(`CREATE INDEX budgets_parent_idx ON budgets (tenant_id, parent_budget_id) WHERE parent_budget_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE budget_ledger (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        budget_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('grant','lower','allocate','deallocate','reserve','release','commit','revoke')),
        amount bigint NOT NULL CHECK (amount > 0),
        actor_user_id uuid REFERENCES users (id),
        reason text,
        request_id uuid,
        coupon_id uuid,
        counterpart_budget_id uuid,
        at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, budget_id) REFERENCES budgets (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX budget_ledger_budget_idx ON budget_ledger (tenant_id, budget_id, id)`);
    await q.query(`CREATE INDEX budget_ledger_request_idx ON budget_ledger (tenant_id, request_id) WHERE request_id IS NOT NULL`);
    await q.query(`ALTER TABLE issuance_requests ADD COLUMN budget_id uuid, ADD FOREIGN KEY (tenant_id, budget_id) REFERENCES budgets (tenant_id, id)`);

    // The R5 budgets, into this quarter's partner-borne budgets.
    await q.query(`
      INSERT INTO budgets (tenant_id, partner_id, kind, currency, period_start, period_end, granted)
      SELECT tenant_id, partner_id, 'partner', currency, date_trunc('quarter', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
             (date_trunc('quarter', now() AT TIME ZONE 'UTC') + interval '3 months') AT TIME ZONE 'UTC', amount
        FROM partner_budgets`);
    await q.query(`
      INSERT INTO budget_ledger (tenant_id, budget_id, type, amount, reason)
      SELECT tenant_id, id, 'grant', granted, 'migrated from the partner budget' FROM budgets WHERE granted > 0`);
    // Every partner-borne request that holds or used budget draws on it from now on.
    await q.query(`
      UPDATE issuance_requests r SET budget_id = b.id
        FROM budgets b
       WHERE b.tenant_id = r.tenant_id AND b.partner_id = r.partner_id AND b.currency = r.currency
         AND r.cost_bearer = 'partner' AND r.status NOT IN ('rejected','cancelled','expired')`);
    await q.query(`
      INSERT INTO budget_ledger (tenant_id, budget_id, type, amount, reason, request_id)
      SELECT tenant_id, budget_id, 'reserve', face_value * (total_accounts - failed_count), 'migrated: held by the open request', id
        FROM issuance_requests
       WHERE budget_id IS NOT NULL AND status IN ('submitted','pending_approval','approved','issuing') AND total_accounts > failed_count`);
    await q.query(`
      WITH held AS (SELECT tenant_id, budget_id, sum(amount) AS amount FROM budget_ledger WHERE type = 'reserve' GROUP BY 1, 2)
      UPDATE budgets b SET reserved = held.amount FROM held WHERE held.tenant_id = b.tenant_id AND held.budget_id = b.id`);
    // What `used` holds beyond the open requests was issued: reserved and committed at once.
    await q.query(`
      WITH spent AS (
        SELECT b.tenant_id, b.id, pb.used - b.reserved AS amount
          FROM budgets b JOIN partner_budgets pb ON pb.tenant_id = b.tenant_id AND pb.partner_id = b.partner_id AND pb.currency = b.currency
         WHERE pb.used > b.reserved),
      rows AS (
        INSERT INTO budget_ledger (tenant_id, budget_id, type, amount, reason)
        SELECT tenant_id, id, t, amount, 'migrated: issued before the budget chain' FROM spent, (VALUES ('reserve'), ('commit')) AS x(t))
      UPDATE budgets b SET committed = spent.amount FROM spent WHERE spent.tenant_id = b.tenant_id AND spent.id = b.id`);
    await q.query(`DROP TABLE partner_budgets`);
  }

  async down(q: QueryRunner): Promise<void> {
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
    // One amount per partner and currency had no period: the partner-borne budget of today's
    // period, else the latest one. Vendor-borne budgets did not exist before and are dropped.
    await q.query(`
      INSERT INTO partner_budgets (tenant_id, partner_id, currency, amount, used)
      SELECT DISTINCT ON (tenant_id, partner_id, currency) tenant_id, partner_id, currency, granted, allocated + reserved + committed
        FROM budgets WHERE kind = 'partner'
       ORDER BY tenant_id, partner_id, currency, (now() >= period_start AND now() < period_end) DESC, period_start DESC`);
    await q.query(`ALTER TABLE issuance_requests DROP COLUMN budget_id`);
    await q.query(`DROP TABLE budget_ledger`);
    await q.query(`DROP TABLE budgets`);
  }
}
