import type { ChunkedHandler, Handler } from '../jobs/run-job';
import { config } from '../config';
import { inTransaction } from '../db/tx';
import { first } from '../db/rows';
import { failpoint } from '../shared/failpoints';
import { IssuanceRequest } from './issuance-request.entity';
import { moveRequest } from './request-state';
import { ISSUE_CHUNK_SQL } from './issue-chunk.sql';

/**
 * R5, R10 routing: a vendor-borne request waits for its BD (with an expiry job at the end of the
 * window); a partner-borne one is approved at once and issued (R31: or its codes may be generated).
 */
export const routeRequest: Handler<'issuance.route'> = async ({ tenantId, requestId }, { em }) => {
  const r = await em.getRepository(IssuanceRequest).findOne({ where: { tenantId, id: requestId }, lock: { mode: 'pessimistic_write' } });
  if (!r || r.status !== 'submitted') return; // cancelled meanwhile, or routed already
  if (r.costBearer === 'vendor') {
    const expiresAt = new Date(Date.now() + config().APPROVAL_WINDOW_SECONDS * 1000);
    await moveRequest(em, null, r, 'pending_approval', { reason: 'vendor-borne: waits for the BD', expiresAt });
  } else {
    await moveRequest(em, null, r, 'approved', { reason: 'partner-borne: approved automatically' });
  }
};

/** R9: no decision within the window -> expired; nothing is issued, reservations come back. */
export const expireRequest: Handler<'issuance.expire'> = async ({ tenantId, requestId }, { em }) => {
  const r = await em.getRepository(IssuanceRequest).findOne({ where: { tenantId, id: requestId }, lock: { mode: 'pessimistic_write' } });
  if (!r || r.status !== 'pending_approval' || (r.expiresAt && r.expiresAt > new Date())) return;
  await moveRequest(em, null, r, 'expired', { reason: 'no decision within the approval window' });
};

/**
 * R8, R10: one coupon per (request, account), in chunks of one statement each (coupon with its
 * rules copied, `issue` ledger row, audit row, item and progress), so progress shows while it runs.
 * Chunks take their items with SKIP LOCKED and coupons are unique per (request, account): a retry,
 * a second delivery or a worker killed mid-way never makes a second coupon. The last step settles
 * the request and releases what failed accounts held.
 */
export const issueRequest: ChunkedHandler<'issuance.issue'> = async ({ tenantId, requestId }, { ds, log, job, complete }) => {
  // approved -> issuing is a state change like any other: audited (R11), under the request's lock.
  await inTransaction(ds, async (em) => {
    const r = await em.getRepository(IssuanceRequest).findOne({ where: { tenantId, id: requestId }, lock: { mode: 'pessimistic_write' } });
    if (r?.status === 'approved') await moveRequest(em, null, r, 'issuing', { reason: 'issuance started' });
  });
  const chunk = config().ISSUANCE_CHUNK;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const step = first<{ taken: number; last: string | null }>(await ds.query(ISSUE_CHUNK_SQL, [tenantId, requestId, chunk, after]), 'issuance chunk');
    if (step.taken === 0 || !step.last) break;
    after = step.last;
    failpoint('issuance.after-chunk');
    const [p] = await ds.query(`SELECT issued_count, failed_count, total_accounts FROM issuance_requests WHERE tenant_id = $1 AND id = $2`, [tenantId, requestId]);
    await job.updateProgress({ issued: p.issued_count, failed: p.failed_count, total: p.total_accounts });
  }
  await inTransaction(ds, async (em) => {
    const r = await em.getRepository(IssuanceRequest).findOne({ where: { tenantId, id: requestId }, lock: { mode: 'pessimistic_write' } });
    if (!r || r.status !== 'issuing') return; // settled by an earlier delivery
    // Settle from the facts (coupons and failure rows), not from counters: exact after any crash.
    const facts = first<{ issued: number; failed: number }>(
      await em.query(
        `SELECT (SELECT count(*) FROM coupons WHERE tenant_id = $1 AND request_id = $2)::int AS issued,
                (SELECT count(*) FROM issuance_failures WHERE tenant_id = $1 AND request_id = $2)::int AS failed`,
        [tenantId, requestId],
      ),
      'issuance facts',
    );
    const pending = r.totalAccounts - facts.issued - facts.failed;
    if (pending > 0) throw new Error(`${pending} accounts not yet settled; another delivery is still issuing`);
    const failed: { account_id: string }[] = await em.query(
      `SELECT account_id FROM issuance_failures WHERE tenant_id = $1 AND request_id = $2`,
      [tenantId, requestId],
    );
    await em.query(`UPDATE issuance_requests SET issued_count = $3, failed_count = $4 WHERE tenant_id = $1 AND id = $2`, [
      tenantId, requestId, facts.issued, facts.failed,
    ]);
    if (failed.length) {
      await moveRequest(em, null, r, 'issued_with_failures', {
        reason: `${failed.length} of ${r.totalAccounts} accounts failed`, failedAccountIds: failed.map((f) => f.account_id),
      });
    } else {
      await moveRequest(em, null, r, 'issued');
    }
    await complete(em);
    log.info({ issued: r.totalAccounts - failed.length, failed: failed.length }, 'request issued');
  });
};

