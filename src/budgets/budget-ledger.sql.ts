import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { toBigInt } from '../shared/money';

/**
 * The one writer of budget figures (R36), as `ledger.sql.ts` is for coupons: a budget's granted,
 * allocated, reserved and committed change only here, each change with its `budget_ledger` row
 * in the same statement, so a budget's figures are always the sum of its ledger (reconcile checks
 * it). A move that would take a figure below zero, or leave less than nothing available
 * (granted < allocated + reserved + committed), changes nothing and answers null: the caller
 * turns that into its refusal. Concurrent moves on one budget serialize on its row.
 */
export type BudgetMoveType = 'grant' | 'lower' | 'allocate' | 'deallocate' | 'reserve' | 'release' | 'commit' | 'revoke';

type Figure = 'granted' | 'allocated' | 'reserved' | 'committed';

/** What each move does to the figures (times its amount, always > 0). */
export const BUDGET_MOVES: Readonly<Record<BudgetMoveType, Readonly<Partial<Record<Figure, 1 | -1>>>>> = {
  grant: { granted: 1 }, // the vendor (admin, BD) or, for a reseller, its distributor gives
  lower: { granted: -1 }, // the grantor takes back what is not reserved, committed or allocated
  allocate: { allocated: 1 }, // a distributor hands part of its partner-borne budget to a reseller
  deallocate: { allocated: -1 }, // ...and takes it back when the allocation is lowered
  reserve: { reserved: 1 }, // a request is submitted
  release: { reserved: -1 }, // it ends unissued, or some of its accounts fail
  commit: { reserved: -1, committed: 1 }, // it is issued: what was issued stays spent
  revoke: { committed: -1 }, // a coupon is voided: what it had left comes back (R35)
};

export const FIGURES: readonly Figure[] = ['granted', 'allocated', 'reserved', 'committed'];

export interface BudgetMove {
  tenantId: string;
  budgetId: string;
  type: BudgetMoveType;
  amount: bigint;
  /** Who: a person, or null for the system (a job, a request's own move). */
  actor: Actor | null;
  reason: string | null;
  requestId?: string | null;
  couponId?: string | null;
  /** The other side of an allocation: the reseller's budget on the distributor's row, and back. */
  counterpartBudgetId?: string | null;
}

export interface BudgetFigures {
  id: string;
  granted: string;
  allocated: string;
  reserved: string;
  committed: string;
}

const delta = (type: BudgetMoveType, f: Figure, p: string) => {
  const sign = BUDGET_MOVES[type][f];
  return sign === undefined ? '0' : `${sign === 1 ? '' : '-'}${p}::bigint`;
};

/** SQL of one move on one budget, its ledger row with it; $3 is the amount. */
function moveSql(type: BudgetMoveType): string {
  const d = Object.fromEntries(FIGURES.map((f) => [f, delta(type, f, '$3')])) as Record<Figure, string>;
  return `
    WITH b AS (
      UPDATE budgets SET granted = granted + ${d.granted}, allocated = allocated + ${d.allocated},
             reserved = reserved + ${d.reserved}, committed = committed + ${d.committed}, updated_at = now()
       WHERE tenant_id = $1 AND id = $2
         AND granted + ${d.granted} >= 0 AND allocated + ${d.allocated} >= 0 AND reserved + ${d.reserved} >= 0 AND committed + ${d.committed} >= 0
         AND granted + ${d.granted} >= allocated + ${d.allocated} + reserved + ${d.reserved} + committed + ${d.committed}
      RETURNING tenant_id, id, granted, allocated, reserved, committed),
    l AS (
      INSERT INTO budget_ledger (tenant_id, budget_id, type, amount, actor_user_id, reason, request_id, coupon_id, counterpart_budget_id)
      SELECT tenant_id, id, '${type}', $3, $4, $5, $6, $7, $8 FROM b)
    SELECT id, granted::text, allocated::text, reserved::text, committed::text FROM b`;
}

const SQL = Object.fromEntries((Object.keys(BUDGET_MOVES) as BudgetMoveType[]).map((t) => [t, moveSql(t)])) as Record<BudgetMoveType, string>;

/** Applies the move: the budget's new figures, or null when it would break a figure (nothing written). */
export async function moveBudget(em: EntityManager, m: BudgetMove): Promise<BudgetFigures | null> {
  if (m.amount <= 0n) throw new Error(`a budget move is of a positive amount (got ${m.amount})`);
  const rows: BudgetFigures[] = await em.query(SQL[m.type], [
    m.tenantId, m.budgetId, m.amount.toString(), m.actor?.userId ?? null, m.reason, m.requestId ?? null, m.couponId ?? null, m.counterpartBudgetId ?? null,
  ]);
  return rows[0] ?? null;
}

/** The ledger's sum of each figure of a budget, as SQL over `budget_ledger` rows aliased `l` (reconcile). */
export function ledgerFigureSql(f: Figure): string {
  const terms = (Object.keys(BUDGET_MOVES) as BudgetMoveType[])
    .filter((t) => BUDGET_MOVES[t][f] !== undefined)
    .map((t) => `WHEN '${t}' THEN ${BUDGET_MOVES[t][f] === 1 ? '' : '-'}l.amount`);
  return `coalesce(sum(CASE l.type ${terms.join(' ')} ELSE 0 END), 0)`;
}

/** What a request still holds reserved on its budget: the `reserved` figure of its own ledger rows. */
export async function heldByRequest(em: EntityManager, tenantId: string, budgetId: string, requestId: string): Promise<bigint> {
  const [row]: { held: string }[] = await em.query(
    `SELECT ${ledgerFigureSql('reserved')}::text AS held FROM budget_ledger l WHERE l.tenant_id = $1 AND l.request_id = $3 AND l.budget_id = $2`,
    [tenantId, budgetId, requestId],
  );
  return toBigInt(row?.held ?? '0');
}
