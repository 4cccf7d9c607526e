import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /v1/approval-decisions lists a BD's own decisions, newest first: one index range scan by
 * decider instead of a walk over every request of the BD's partners. Only decided rows are in it.
 */
export class DecisionsIndex1763980000000 implements MigrationInterface {
  name = 'DecisionsIndex1763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX issuance_requests_decided_by_idx ON issuance_requests (decided_by, decided_at DESC, id DESC) WHERE decided_by IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX issuance_requests_decided_by_idx`);
  }
}
