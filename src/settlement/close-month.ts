import type { EntityManager } from 'typeorm';
import { config } from '../config';
import { AppError } from '../shared/errors';
import { aggCte, headsCte, inMonth, liabilityCte, LINE_ORDER, LINES_CTE } from './settlement.sql';
import { closableAt, firstDay, monthEnd, type MonthText } from './settlement-month';
import { first } from '../db/rows';

/**
 * R37: closing a month freezes every partner's settlement of it, in one statement: the month is
 * marked closed and the settlements, their lines and their liabilities (R38) are inserted by one
 * set-based INSERT ... SELECT ... GROUP BY over the month's ledger rows, read in one snapshot.
 *
 * Why a closed month can never be wrong afterwards:
 * - ledger rows are only ever appended, each with `at` = its transaction's start (ledger.sql.ts);
 * - a month closes no earlier than SETTLEMENT_GRACE_SECONDS after it ended, and only when no
 *   transaction that began before the end is still running (read from pg_stat_activity before the
 *   closing statement takes its snapshot): every row that will ever carry an `at` in the month is
 *   committed, and the closing statement sees it; any later row is booked in a later month;
 * - closes take one advisory lock, and the month's row is inserted ON CONFLICT DO NOTHING by the
 *   statement that inserts the rest only if it inserted that row: a second close, or a re-delivered
 *   job, adds nothing (and the keys (tenant, partner, currency, month) are unique besides);
 * - a trigger refuses UPDATE and DELETE on the settlement tables, and reconcile re-checks every
 *   closed month against the ledger.
 */
const CLOSE_LOCK = `hashtext('settlement.close-month')`;

export interface ClosedMonth {
  month: MonthText;
  closedAt: string;
  closedBy: string | null;
  settlements: number;
}

const CLOSE_SQL = `
WITH mark AS (
  INSERT INTO settlement_months (month, closed_by) VALUES ($1::date, $2) ON CONFLICT (month) DO NOTHING RETURNING month
), ${aggCte(inMonth('$1'), 'TRUE', '$1::date')}, ${LINES_CTE}, ${liabilityCte('$1', () => 'TRUE')}, ${headsCte('$1')},
h AS (
  INSERT INTO settlements (tenant_id, partner_id, currency, month, tier, parent_id, bd_user_id, partner_borne, passed_up, owed, vendor_borne, adjustments)
  SELECT tenant_id, partner_id, currency, month, tier, parent_id, bd_user_id, partner_borne, passed_up, owed, vendor_borne, adjustments
    FROM heads WHERE EXISTS (SELECT 1 FROM mark)
  RETURNING 1
), li AS (
  INSERT INTO settlement_lines (tenant_id, partner_id, currency, month, line, kind, template_id, origin, account_id, reseller_id, adjusts, deducted, returned)
  SELECT tenant_id, partner_id, currency, month, row_number() OVER (PARTITION BY tenant_id, partner_id, currency ORDER BY ${LINE_ORDER}),
         kind, template_id, origin, account_id, reseller_id, adjusts, deducted, returned
    FROM lines WHERE EXISTS (SELECT 1 FROM mark)
  RETURNING 1
), lb AS (
  INSERT INTO settlement_liabilities (tenant_id, partner_id, currency, month, cost_bearer, opening, issued, deducted, returned, revoked, expired, reclaimed, closing)
  SELECT tenant_id, partner_id, currency, $1::date, cost_bearer, opening, issued, deducted, returned, revoked, expired, reclaimed, closing
    FROM liab WHERE EXISTS (SELECT 1 FROM mark)
  RETURNING 1
)
SELECT (SELECT count(*) FROM mark)::int AS marked, (SELECT count(*) FROM h)::int AS settlements, (SELECT count(*) FROM li)::int AS lines,
       (SELECT count(*) FROM lb)::int AS liabilities`;

/** The closing statement's text (the benchmark measures it against a plain GROUP BY). */
export const closeMonthSql = CLOSE_SQL;

/**
 * How the closing statement runs, for its transaction only: one batch statement over a month of
 * the ledger, so hash aggregates get the memory they need (the planner otherwise sorts a million
 * rows), no sort-based plan is taken where a hash one exists, and no JIT compilation (its cost
 * estimate is high enough to trigger seconds of compiling for a statement that runs once).
 */
export const CLOSE_SETTINGS = [`work_mem = '256MB'`, 'enable_sort = off', 'jit = off'];

/** Closes `month` in the caller's transaction; a month already closed is answered as it was closed. */
export async function closeMonth(em: EntityManager, month: MonthText, actorUserId: string | null, graceSeconds = config().SETTLEMENT_GRACE_SECONDS): Promise<ClosedMonth> {
  const { now } = first<{ now: Date }>(await em.query(`SELECT now()`), 'SELECT now()');
  const closable = closableAt(month, graceSeconds);
  if (now < closable) {
    throw new AppError('month_not_over', `${month} can close from ${closable.toISOString()}`, { month, closableAt: closable.toISOString() });
  }
  await em.query(`SELECT pg_advisory_xact_lock(${CLOSE_LOCK})`);
  const done = await closedMonth(em, month);
  if (done) return done;
  // Before the closing statement's snapshot: a transaction begun before the month's end may still
  // append a row booked in the month. Ours began after it (now >= the end, checked above).
  const open = first<{ n: number; oldest: Date | null }>(await em.query(
    `SELECT count(*)::int AS n, min(xact_start) AS oldest FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start < $1`,
    [monthEnd(month)],
  ), 'the count of transactions');
  if (open.n > 0) {
    throw new AppError('month_still_written', `${open.n} transaction(s) begun before ${month} ended are still running`, { month, oldestStartedAt: open.oldest?.toISOString() ?? null });
  }
  for (const setting of CLOSE_SETTINGS) await em.query(`SET LOCAL ${setting}`);
  await em.query(CLOSE_SQL, [firstDay(month), actorUserId]);
  return (await closedMonth(em, month))!;
}

/** A closed month with its counts, or null while it is open. */
export async function closedMonth(em: EntityManager, month: MonthText): Promise<ClosedMonth | null> {
  const [row]: { closed_at: Date; closed_by: string | null; settlements: number }[] = await em.query(
    `SELECT m.closed_at, m.closed_by, (SELECT count(*) FROM settlements s WHERE s.month = m.month)::int AS settlements
       FROM settlement_months m WHERE m.month = $1::date`,
    [firstDay(month)],
  );
  return row ? { month, closedAt: row.closed_at.toISOString(), closedBy: row.closed_by, settlements: row.settlements } : null;
}
