import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R37, R38: monthly settlements, frozen when a month closes.
 *
 * - settlement_months (vendor): one row per closed month (UTC calendar month, its first day).
 *   A month without a row is open: its settlements are computed live from coupon_ledger.
 * - settlements: per partner, currency and month, the totals: what the partner's own partner-borne
 *   coupons cost net of returns, what its resellers' pass up to it, what it owes (the sum of the
 *   two: to its distributor for a reseller, to the vendor for a distributor), the vendor-borne net
 *   (the vendor's promotion expense) and the part of all that made of adjustments; with the
 *   partner's tier, parent and BD as they were when the month closed.
 * - settlement_lines: those amounts per kind (partner_borne, reseller, vendor_borne), template (or
 *   origin, for coupons without one), subaccount (partner-borne lines of the partner's own coupons
 *   only), reseller (reseller lines) and the earlier month an adjustment gives back to.
 * - settlement_liabilities: per cost bearer the month's opening and closing outstanding balance
 *   and the ledger flows between them; a CHECK holds the R38 identity row by row.
 *
 * Rows are written once, by the one statement that closes a month, and never change: a trigger
 * refuses UPDATE and DELETE on all four tables (the down migration drops them whole).
 * coupon_ledger gets a BRIN index on `at`: a month's rows are found without a B-tree that every
 * payment would have to maintain (rows arrive in `at` order, which is what BRIN needs).
 */
export class Settlement1764010000000 implements MigrationInterface {
  name = 'Settlement1764010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE settlement_months (
        month date PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
        closed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        closed_by uuid REFERENCES users (id)
      )`);
    await q.query(`
      CREATE TABLE settlements (
        tenant_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        currency char(3) NOT NULL,
        month date NOT NULL REFERENCES settlement_months (month),
        tier smallint NOT NULL CHECK (tier IN (1, 2)),
        parent_id uuid,
        bd_user_id uuid,
        partner_borne bigint NOT NULL,
        passed_up bigint NOT NULL,
        owed bigint NOT NULL,
        vendor_borne bigint NOT NULL,
        adjustments bigint NOT NULL,
        PRIMARY KEY (tenant_id, partner_id, currency, month),
        FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
        CONSTRAINT settlements_owed CHECK (owed = partner_borne + passed_up)
      )`);
    await q.query(`CREATE INDEX settlements_month_idx ON settlements (month)`);
    await q.query(`
      CREATE TABLE settlement_lines (
        tenant_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        currency char(3) NOT NULL,
        month date NOT NULL,
        line integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('partner_borne', 'reseller', 'vendor_borne')),
        template_id uuid,
        origin text NOT NULL,
        account_id uuid,
        reseller_id uuid,
        adjusts date,
        deducted bigint NOT NULL,
        returned bigint NOT NULL,
        PRIMARY KEY (tenant_id, partner_id, currency, month, line),
        FOREIGN KEY (tenant_id, partner_id, currency, month) REFERENCES settlements (tenant_id, partner_id, currency, month),
        CONSTRAINT settlement_lines_shape CHECK ((kind = 'reseller') = (reseller_id IS NOT NULL) AND (kind = 'partner_borne' OR account_id IS NULL)),
        CONSTRAINT settlement_lines_adjusts CHECK (adjusts IS NULL OR adjusts < month)
      )`);
    await q.query(`
      CREATE TABLE settlement_liabilities (
        tenant_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        currency char(3) NOT NULL,
        month date NOT NULL,
        cost_bearer text NOT NULL CHECK (cost_bearer IN ('vendor', 'partner')),
        opening bigint NOT NULL,
        issued bigint NOT NULL,
        deducted bigint NOT NULL,
        returned bigint NOT NULL,
        revoked bigint NOT NULL,
        expired bigint NOT NULL,
        reclaimed bigint NOT NULL,
        closing bigint NOT NULL,
        PRIMARY KEY (tenant_id, partner_id, currency, month, cost_bearer),
        FOREIGN KEY (tenant_id, partner_id, currency, month) REFERENCES settlements (tenant_id, partner_id, currency, month),
        CONSTRAINT settlement_liabilities_identity CHECK (closing = opening + issued - deducted + returned - revoked - expired - reclaimed)
      )`);
    await q.query(`
      CREATE FUNCTION settlement_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a closed settlement month never changes (R37): % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const t of ['settlement_months', 'settlements', 'settlement_lines', 'settlement_liabilities']) {
      await q.query(`CREATE TRIGGER ${t}_frozen BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION settlement_frozen()`);
    }
    await q.query(`CREATE INDEX coupon_ledger_at_brin ON coupon_ledger USING brin (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX coupon_ledger_at_brin`);
    for (const t of ['settlement_liabilities', 'settlement_lines', 'settlements', 'settlement_months']) await q.query(`DROP TABLE ${t}`);
    await q.query(`DROP FUNCTION settlement_frozen()`);
  }
}
