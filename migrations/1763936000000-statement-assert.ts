import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `app_assert(ok, message)`: raises SQLSTATE CP001 unless ok. A single-statement write (checkout's
 * optimistic payment) ends with it, so when a condition it relied on no longer holds, the whole
 * statement, with everything its CTEs wrote, rolls back, and the caller retries under row locks.
 */
export class StatementAssert1763936000000 implements MigrationInterface {
  name = 'StatementAssert1763936000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_assert(ok boolean, message text) RETURNS boolean
      LANGUAGE plpgsql AS $$
      BEGIN
        IF ok IS NOT TRUE THEN
          RAISE EXCEPTION USING ERRCODE = 'CP001', MESSAGE = message;
        END IF;
        RETURN TRUE;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION app_assert(boolean, text)`);
  }
}
