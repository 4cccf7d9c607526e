import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenancy, identity, audit and the job outbox.
 *
 * Shard-ready keys (see ARCHITECTURE.md): every tenant-owned table carries `tenant_id`, the id of
 * the tier-1 partner at the top of its tree, and has it first in its primary key, unique
 * constraints and foreign keys, so the tables can be distributed by it later. `users` and
 * `api_tokens` are the identity tables, looked up by token hash before any tenant is known; they
 * carry `tenant_id` too (null only for vendor staff).
 *
 * created_at has millisecond precision so keyset cursors round-trip exactly through JS Dates.
 */
export class Foundation1763880000000 implements MigrationInterface {
  name = 'Foundation1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid,
        partner_id uuid,
        account_id uuid,
        role text NOT NULL CHECK (role IN ('platform_admin','bd','partner_admin','partner_operator',
          'partner_viewer','account_owner','account_finance','account_member')),
        email text NOT NULL,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','deactivated')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_scope_matches_role CHECK (
          (role IN ('platform_admin','bd') AND tenant_id IS NULL AND partner_id IS NULL AND account_id IS NULL)
          OR (role IN ('partner_admin','partner_operator','partner_viewer')
              AND tenant_id IS NOT NULL AND partner_id IS NOT NULL AND account_id IS NULL)
          OR (role IN ('account_owner','account_finance','account_member')
              AND tenant_id IS NOT NULL AND partner_id IS NOT NULL AND account_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    await q.query(`
      CREATE TABLE partners (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tier smallint NOT NULL CHECK (tier IN (1, 2)),
        parent_id uuid,
        bd_user_id uuid REFERENCES users (id),
        name text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','deactivated')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT partners_tree CHECK (
          (tier = 1 AND parent_id IS NULL AND tenant_id = id)
          OR (tier = 2 AND parent_id IS NOT NULL AND tenant_id = parent_id AND bd_user_id IS NULL)),
        FOREIGN KEY (tenant_id, parent_id) REFERENCES partners (tenant_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX partners_id_key ON partners (id)`);
    await q.query(`CREATE INDEX partners_bd_idx ON partners (bd_user_id) WHERE bd_user_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE accounts (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('customer','reseller')),
        reseller_partner_id uuid,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','deactivated')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT accounts_reseller_link CHECK ((kind = 'reseller') = (reseller_partner_id IS NOT NULL)),
        FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
        FOREIGN KEY (tenant_id, reseller_partner_id) REFERENCES partners (tenant_id, id),
        UNIQUE (tenant_id, reseller_partner_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX accounts_id_key ON accounts (id)`);
    await q.query(`CREATE INDEX accounts_partner_idx ON accounts (tenant_id, partner_id, created_at)`);

    await q.query(`ALTER TABLE users
      ADD FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
      ADD FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)`);
    await q.query(`CREATE INDEX users_partner_idx ON users (tenant_id, partner_id)`);

    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        tenant_id uuid,
        partner_id uuid,
        account_id uuid,
        name text NOT NULL,
        token_hash bytea NOT NULL UNIQUE,
        prefix text NOT NULL,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)`);

    // R11: who, when, from, to and why, for every state change. tenant_id is null for vendor objects.
    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid,
        object_type text NOT NULL,
        object_id uuid NOT NULL,
        action text NOT NULL,
        from_status text,
        to_status text,
        reason text,
        actor_user_id uuid,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user','system')),
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id)
      )`);
    await q.query(`CREATE INDEX audit_events_object_idx ON audit_events (object_type, object_id, at)`);

    // Transactional outbox: job intents commit with the state they follow; the relay moves them
    // to BullMQ under the deterministic job id `job_id` and marks them sent.
    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid,
        job_name text NOT NULL,
        job_id text NOT NULL UNIQUE CHECK (job_id !~ ':'),
        payload jsonb NOT NULL,
        run_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        relay_attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL`);

    // A handler's effects and this row commit together: a job that completed never runs again.
    await q.query(`
      CREATE TABLE job_completions (
        job_id text PRIMARY KEY,
        job_name text NOT NULL,
        tenant_id uuid,
        completed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_completions`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_tenant_id_partner_id_fkey,
      DROP CONSTRAINT users_tenant_id_account_id_fkey`);
    await q.query(`DROP TABLE accounts`);
    await q.query(`DROP TABLE partners`);
    await q.query(`DROP TABLE users`);
  }
}
