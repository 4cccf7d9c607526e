import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/record-audit';
import { enqueueJob } from '../jobs/outbox';
import { AppError } from '../shared/errors';
import { IssuanceRequest, type RequestStatus } from './issuance-request.entity';
import { releaseReservations } from './release-reservations';
import { commitForRequest } from '../budgets/request-budget';

/**
 * The issuance request's state machine, in one table (R9-R12): every move from -> to, who makes
 * it, and what goes with it. Every change of a request's status goes through `moveRequest`, which
 * checks the move, writes the status and its audit row (R11) and runs the move's side effects, in
 * the caller's transaction, with the request's row locked by the caller.
 *
 * Who: `system` is a job (routing, expiry, issuance); `partner` is a partner user allowed the
 * CASL action named (`cancel`, or `create` on ActivationCode); `bd` is the request's BD (`decide`).
 * The CASL check itself is the caller's, on the loaded request (authorize), before it moves.
 */
type Who = 'system' | 'partner' | 'bd';
interface Move {
  by: Who;
  /**
   * Reservations (R7 claims, template cap, budget) come back: all of them when the request
   * ends unissued, or those of the accounts that failed (`failedAccountIds`).
   */
  releases?: 'all' | 'failed';
  /** What the request still holds of its budget was issued, and is committed (R36). */
  commits?: true;
  /** The issuance job starts (coupons to named accounts; an offline request waits for its codes, R31). */
  issues?: true;
  /** The delayed expiry job is scheduled at `expiresAt` (R9). */
  expires?: true;
}

export const REQUEST_MOVES: Readonly<Partial<Record<RequestStatus, Readonly<Partial<Record<RequestStatus, Move>>>>>> = {
  submitted: {
    pending_approval: { by: 'system', expires: true }, // vendor-borne: waits for the BD (R5)
    approved: { by: 'system', issues: true }, // partner-borne: approved at once (R5)
    cancelled: { by: 'partner', releases: 'all' },
  },
  pending_approval: {
    approved: { by: 'bd', issues: true },
    rejected: { by: 'bd', releases: 'all' },
    cancelled: { by: 'partner', releases: 'all' },
    expired: { by: 'system', releases: 'all' },
  },
  approved: {
    issuing: { by: 'system' }, // the issuance job has started
    issued: { by: 'partner', commits: true }, // an offline request's codes were generated (R31)
  },
  issuing: {
    issued: { by: 'system', commits: true },
    issued_with_failures: { by: 'system', releases: 'failed', commits: true },
  },
};

/** The moves `from` allows, in the table's order (for error messages and tests). */
export const movesFrom = (from: RequestStatus): RequestStatus[] => Object.keys(REQUEST_MOVES[from] ?? {}) as RequestStatus[];

export interface MoveOptions {
  reason?: string | null;
  /** Columns set with the status (decidedBy, decisionReason, issuedCount, ...). */
  set?: Record<string, unknown>;
  /** With a move that `expires`: when the approval window ends. */
  expiresAt?: Date;
  /** With a move that releases what failed accounts held. */
  failedAccountIds?: string[];
}

const WHAT: Partial<Record<RequestStatus, string>> = {
  cancelled: 'only a request awaiting a decision can be cancelled',
  approved: 'a decision is final and only a pending request takes one',
  rejected: 'a decision is final and only a pending request takes one',
  issued: 'codes are generated once the request is approved, and only once',
};

/**
 * Moves `r` (locked by the caller, in `em`'s transaction) to `to`: 409 if the table has no such
 * move from its status, or if the mover is not who the move is for (a person making a system
 * move, or the reverse). Writes the status, the audit row and the move's side effects.
 */
export async function moveRequest(em: EntityManager, actor: Actor | null, r: IssuanceRequest, to: RequestStatus, opts: MoveOptions = {}): Promise<void> {
  const move = REQUEST_MOVES[r.status]?.[to];
  if (!move) {
    throw new AppError('invalid_transition', `the request is ${r.status}: ${WHAT[to] ?? `it cannot become ${to}`}`, { from: r.status, to, allowed: movesFrom(r.status) });
  }
  if ((move.by === 'system') !== (actor === null)) throw new Error(`request move ${r.status} -> ${to} is made by ${move.by}, not by ${actor ? actor.role : 'the system'}`);
  const set: Record<string, unknown> = { ...opts.set };
  if (move.expires) {
    if (!opts.expiresAt) throw new Error(`request move ${r.status} -> ${to} needs expiresAt`);
    set.expiresAt = opts.expiresAt;
  }
  await em.getRepository(IssuanceRequest).update({ tenantId: r.tenantId, id: r.id }, { status: to, updatedAt: () => 'now()', ...set });
  await recordAudit(em, actor, [{ tenantId: r.tenantId, objectType: 'issuance_request', objectId: r.id, action: to, from: r.status, to, reason: opts.reason ?? null }]);
  if (move.releases === 'all') await releaseReservations(em, r, null);
  if (move.releases === 'failed' && opts.failedAccountIds?.length) await releaseReservations(em, r, opts.failedAccountIds);
  if (move.commits) await commitForRequest(em, r);
  if (move.expires) await enqueueJob(em, 'issuance.expire', r.id, { tenantId: r.tenantId, requestId: r.id }, { tenantId: r.tenantId, runAt: opts.expiresAt });
  if (move.issues && r.kind !== 'activation_codes') {
    await enqueueJob(em, 'issuance.issue', r.id, { tenantId: r.tenantId, requestId: r.id }, { tenantId: r.tenantId });
  }
}
