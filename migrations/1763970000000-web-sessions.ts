import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People sign in to the web app with email and password (issue 6). A user may have a password:
 * its argon2id encoded string (algorithm, parameters, salt and hash in one text), or null (API
 * tokens only, the default). A sign-in opens a web session: the cookie carries 256 random bits and
 * the table keeps only their SHA-256, like api_tokens, so it is looked up by hash before any
 * tenant is known; tenant_id is the user's (null for vendor staff), like api_tokens. The CSRF
 * token is no secret from the session's own browser, which reads it from the sign-in answer.
 */
export class WebSessions1763970000000 implements MigrationInterface {
  name = 'WebSessions1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN password_hash text CHECK (password_hash LIKE '$argon2id$%')`);
    await q.query(`
      CREATE TABLE web_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid,
        user_id uuid NOT NULL REFERENCES users (id),
        token_hash bytea NOT NULL UNIQUE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
        revoked_at timestamptz,
        user_agent text
      )`);
    await q.query(`CREATE INDEX web_sessions_user_idx ON web_sessions (user_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_sessions`);
    await q.query(`ALTER TABLE users DROP COLUMN password_hash`);
  }
}
