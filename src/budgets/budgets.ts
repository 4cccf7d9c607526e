import type { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { AppError, notFound } from '../shared/errors';
import { toBigInt } from '../shared/money';
import { first } from '../db/rows';
import { Partner } from '../tenancy/partners/partner.entity';
import { moveBudget, type BudgetFigures } from './budget-ledger.sql';
import type { BudgetLedgerQuery, BudgetListQuery, GrantBudgetBody } from './budget.schema';

/**
 * R36: the budgets of a partner, per kind, currency and period, and who moves them. The vendor
 * grants (the platform admin, or the partner's BD for vendor-borne budgets; the platform admin
 * for a distributor's partner-borne ceiling); a distributor allocates part of its partner-borne
 * budget to a reseller, for the same period, and may lower an allocation down to what the reseller
 * has reserved, committed or allocated. Who may is CASL's (`grant` on Budget, abilities.ts).
 *
 * Locks, always in this order: the partner's row (so two grants cannot both create a budget for
 * overlapping periods), then a distributor's budget, then its reseller's.
 */

interface BudgetRow extends BudgetFigures {
  tenant_id: string;
  partner_id: string;
  kind: 'vendor' | 'partner';
  currency: string;
  period_start: Date;
  period_end: Date;
  parent_budget_id: string | null;
}

const COLUMNS = `tenant_id, id, partner_id, kind, currency, period_start, period_end, parent_budget_id,
                 granted::text, allocated::text, reserved::text, committed::text`;

export function budgetJson(b: BudgetRow) {
  const [granted, allocated, reserved, committed] = [b.granted, b.allocated, b.reserved, b.committed].map(toBigInt) as [bigint, bigint, bigint, bigint];
  return {
    id: b.id,
    partnerId: b.partner_id,
    kind: b.kind,
    currency: b.currency,
    periodStart: b.period_start.toISOString(),
    periodEnd: b.period_end.toISOString(),
    parentBudgetId: b.parent_budget_id,
    amount: b.granted,
    allocated: b.allocated,
    reserved: b.reserved,
    committed: b.committed,
    used: (reserved + committed).toString(),
    available: (granted - allocated - reserved - committed).toString(),
  };
}

/** The CASL subject of a partner's budget (of one kind, when it is about one). */
const subject = (p: Partner, kind?: 'vendor' | 'partner') => ({ tenantId: p.tenantId, partnerId: p.id, partnerTier: p.tier, parentId: p.parentId, kind });

async function budgetRow(em: EntityManager, tenantId: string, id: string, lock = false): Promise<BudgetRow | undefined> {
  const rows: BudgetRow[] = await em.query(`SELECT ${COLUMNS} FROM budgets WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, id]);
  return rows[0];
}

/** A budget this transaction already found (or made): there, or it is a bug. */
async function knownBudget(em: EntityManager, tenantId: string, id: string, lock = false): Promise<BudgetRow> {
  const b = await budgetRow(em, tenantId, id, lock);
  if (!b) throw new Error(`budget ${id} vanished inside its own transaction`);
  return b;
}

/** A budget the actor may read, with its partner: not yours and not there are the same 404 (R1). */
async function readableBudget(ctx: Ctx, em: EntityManager, id: string, lockPartner = false): Promise<{ b: BudgetRow; p: Partner }> {
  const [found]: { tenant_id: string; partner_id: string }[] = await em.query(`SELECT tenant_id, partner_id FROM budgets WHERE id = $1`, [id]);
  if (!found) throw notFound('budget');
  const p = await findReadable(ctx, em, Partner, 'Partner', found.partner_id, { lock: lockPartner }).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'not_found' ? notFound('budget') : err;
  });
  const b = await budgetRow(em, found.tenant_id, id);
  if (!b) throw notFound('budget');
  authorize(ctx, 'read', 'Budget', subject(p, b.kind));
  return { b, p };
}

export async function listBudgets(ctx: Ctx, partnerId: string, q: z.output<typeof BudgetListQuery> = {}) {
  const p = await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', partnerId);
  authorize(ctx, 'read', 'Budget', subject(p));
  const rows: BudgetRow[] = await ctx.ds.query(
    `SELECT ${COLUMNS} FROM budgets
      WHERE tenant_id = $1 AND partner_id = $2 AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR currency = $4)
        AND ($5::timestamptz IS NULL OR (period_start <= $5 AND $5 < period_end))
      ORDER BY period_start DESC, kind, currency`,
    [p.tenantId, p.id, q.kind ?? null, q.currency ?? null, q.at ?? null],
  );
  return { items: rows.map(budgetJson) };
}

export async function getBudget(ctx: Ctx, id: string) {
  return budgetJson((await readableBudget(ctx, ctx.ds.manager, id)).b);
}

interface LedgerRow {
  id: string;
  at: Date;
  type: 'grant' | 'lower' | 'allocate' | 'deallocate' | 'reserve' | 'release' | 'commit' | 'revoke';
  amount: string;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
  reason: string | null;
  request_id: string | null;
  coupon_id: string | null;
  counterpart_budget_id: string | null;
}

/** Every movement of the budget, oldest first, paged by entry number: who, why, which request or coupon. */
export async function budgetLedger(ctx: Ctx, id: string, q: z.output<typeof BudgetLedgerQuery>) {
  const { b } = await readableBudget(ctx, ctx.ds.manager, id);
  const rows: LedgerRow[] = await ctx.ds.query(
    `SELECT l.id::text, l.at, l.type, l.amount::text, u.id AS user_id, u.name AS user_name, u.email AS user_email, l.reason,
            l.request_id, l.coupon_id, l.counterpart_budget_id
       FROM budget_ledger l LEFT JOIN users u ON u.id = l.actor_user_id
      WHERE l.tenant_id = $1 AND l.budget_id = $2 AND ($3::bigint IS NULL OR l.id > $3::bigint)
      ORDER BY l.id LIMIT $4`,
    [b.tenant_id, b.id, q.after ?? null, q.limit + 1],
  );
  const items = rows.slice(0, q.limit).map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    type: r.type,
    amount: r.amount,
    by: r.user_id ? { id: r.user_id, name: r.user_name ?? '', email: r.user_email ?? '' } : null,
    reason: r.reason,
    requestId: r.request_id,
    couponId: r.coupon_id,
    counterpartBudgetId: r.counterpart_budget_id,
  }));
  return { items, next: rows.length > q.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** The calendar quarter (UTC) that holds `at`: the default period of a budget (R36). */
export function quarterOf(at: Date): { start: Date; end: Date } {
  const q = Math.floor(at.getUTCMonth() / 3) * 3;
  return { start: new Date(Date.UTC(at.getUTCFullYear(), q, 1)), end: new Date(Date.UTC(at.getUTCFullYear(), q + 3, 1)) };
}

/** The budget of this partner, kind, currency and period; made when there is none. Another budget overlapping the period is 409. */
async function budgetOfPeriod(
  em: EntityManager,
  p: Partner,
  kind: 'vendor' | 'partner',
  currency: string,
  period: { start: Date; end: Date },
  parentBudgetId: string | null,
): Promise<BudgetRow> {
  const overlapping: BudgetRow[] = await em.query(
    `SELECT ${COLUMNS} FROM budgets
      WHERE tenant_id = $1 AND partner_id = $2 AND kind = $3 AND currency = $4 AND period_start < $6 AND $5 < period_end`,
    [p.tenantId, p.id, kind, currency, period.start, period.end],
  );
  const same = overlapping.find((b) => b.period_start.getTime() === period.start.getTime() && b.period_end.getTime() === period.end.getTime());
  if (same) return same;
  const other = overlapping[0];
  if (other) {
    throw new AppError('budget_period_overlaps', 'the partner has a budget of this kind and currency for a period that overlaps this one', {
      budgetId: other.id, periodStart: other.period_start.toISOString(), periodEnd: other.period_end.toISOString(),
    });
  }
  const made: BudgetRow[] = await em.query(
    `INSERT INTO budgets (tenant_id, partner_id, kind, currency, period_start, period_end, parent_budget_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [p.tenantId, p.id, kind, currency, period.start, period.end, parentBudgetId],
  );
  return first(made, 'INSERT INTO budgets');
}

/** A reseller's allocations come from its distributor's partner-borne budget of the period holding `at`. */
async function distributorBudget(em: EntityManager, p: Partner, currency: string, at: Date): Promise<BudgetRow> {
  const [parent]: BudgetRow[] = await em.query(
    `SELECT ${COLUMNS} FROM budgets
      WHERE tenant_id = $1 AND partner_id = $2 AND kind = 'partner' AND currency = $3 AND period_start <= $4 AND $4 < period_end
      FOR UPDATE`,
    [p.tenantId, p.parentId, currency, at],
  );
  if (!parent) {
    throw new AppError('no_budget_to_allocate', 'the distributor has no partner-borne budget in this currency for this period to allocate from', { currency, at: at.toISOString() });
  }
  return parent;
}

/** A reseller's allocation for the period of its distributor's budget holding `at` (made if there is none), the distributor's budget locked first. */
async function allocationOf(em: EntityManager, p: Partner, currency: string, at: Date): Promise<BudgetRow> {
  const parent = await distributorBudget(em, p, currency, at);
  return budgetOfPeriod(em, p, 'partner', currency, { start: parent.period_start, end: parent.period_end }, parent.id);
}

/**
 * Sets what `b` is granted to `amount`: up by a grant (for an allocation, out of the parent's
 * available first), down by a lowering (never below what `b` has reserved, committed or
 * allocated; an allocation's parent gets it back). Its parent, if any, is locked by the caller.
 */
async function setGranted(ctx: Ctx, em: EntityManager, b: BudgetRow, amount: bigint, reason: string): Promise<BudgetRow> {
  const locked = await knownBudget(em, b.tenant_id, b.id, true);
  const diff = amount - toBigInt(locked.granted);
  const move = { tenantId: b.tenant_id, actor: ctx.actor, reason };
  const parent = locked.parent_budget_id;
  if (diff > 0n) {
    if (parent && !(await moveBudget(em, { ...move, budgetId: parent, type: 'allocate', amount: diff, counterpartBudgetId: b.id }))) {
      const p = await knownBudget(em, b.tenant_id, parent);
      throw new AppError('allocation_exceeded', 'the distributor has less partner-borne budget left than this allocation needs', {
        field: 'body.amount', available: budgetJson(p).available, needed: diff.toString(),
      });
    }
    await moveBudget(em, { ...move, budgetId: b.id, type: 'grant', amount: diff, counterpartBudgetId: parent });
  } else if (diff < 0n) {
    if (!(await moveBudget(em, { ...move, budgetId: b.id, type: 'lower', amount: -diff, counterpartBudgetId: parent }))) {
      const j = budgetJson(locked);
      throw new AppError('budget_below_used', 'the budget cannot be lower than what is already reserved, committed or allocated', {
        field: 'body.amount', used: (toBigInt(j.used) + toBigInt(j.allocated)).toString(),
      });
    }
    if (parent) await moveBudget(em, { ...move, budgetId: parent, type: 'deallocate', amount: -diff, counterpartBudgetId: b.id });
  }
  return knownBudget(em, b.tenant_id, b.id);
}

/** Grants `amount` more to the partner's budget of that kind, currency and period (made if there is none). */
export async function grantBudget(ctx: Ctx, partnerId: string, body: z.output<typeof GrantBudgetBody>) {
  return inTransaction(ctx.ds, async (em) => {
    const p = await findReadable(ctx, em, Partner, 'Partner', partnerId, { lock: true });
    authorize(ctx, 'grant', 'Budget', subject(p, body.kind));
    const at = body.periodStart ?? new Date();
    let b: BudgetRow;
    if (p.tier === 2 && body.kind === 'partner') {
      b = await allocationOf(em, p, body.currency, at);
    } else {
      const period = body.periodStart && body.periodEnd ? { start: body.periodStart, end: body.periodEnd } : quarterOf(at);
      b = await budgetOfPeriod(em, p, body.kind, body.currency, period, null);
    }
    return budgetJson(await setGranted(ctx, em, b, toBigInt(b.granted) + body.amount, body.reason));
  });
}

/** Sets a budget's granted amount (raise or lower), as the one who may grant it. */
export async function setBudgetAmount(ctx: Ctx, id: string, amount: bigint, reason: string) {
  return inTransaction(ctx.ds, async (em) => {
    const { b, p } = await readableBudget(ctx, em, id, true);
    authorize(ctx, 'grant', 'Budget', subject(p, b.kind));
    if (b.parent_budget_id) await budgetRow(em, b.tenant_id, b.parent_budget_id, true);
    return budgetJson(await setGranted(ctx, em, b, amount, reason));
  });
}

/**
 * R5's form: sets the partner-borne budget of the current period in one currency (for a reseller,
 * its allocation out of its distributor's budget of the period).
 */
export async function setCurrentBudget(ctx: Ctx, partnerId: string, currency: string, amount: bigint) {
  return inTransaction(ctx.ds, async (em) => {
    const p = await findReadable(ctx, em, Partner, 'Partner', partnerId, { lock: true });
    authorize(ctx, 'grant', 'Budget', subject(p, 'partner'));
    const now = new Date();
    let b: BudgetRow;
    if (p.tier === 2) {
      b = await allocationOf(em, p, currency, now);
    } else {
      const [current]: BudgetRow[] = await em.query(
        `SELECT ${COLUMNS} FROM budgets WHERE tenant_id = $1 AND partner_id = $2 AND kind = 'partner' AND currency = $3 AND period_start <= $4 AND $4 < period_end`,
        [p.tenantId, p.id, currency, now],
      );
      b = current ?? (await budgetOfPeriod(em, p, 'partner', currency, quarterOf(now), null));
    }
    return budgetJson(await setGranted(ctx, em, b, amount, 'set'));
  });
}
