import { harness } from './harness';
import type { Tree, World } from './world';
import { moveBudget } from '../../src/budgets/budget-ledger.sql';
import { first } from '../../src/db/rows';
import { quarterOf } from '../../src/budgets/budgets';

/** R36 fixtures of one tree: the distributor's partner-borne budget of this quarter and its reseller's allocation. */
export interface BudgetFixtures {
  distributor: string;
  reseller: string;
}

const byTree = new Map<string, BudgetFixtures>();

export function budgetsOf(t: Tree): BudgetFixtures {
  const f = byTree.get(t.partner);
  if (!f) throw new Error('addBudgetFixtures(world) first');
  return f;
}

/** The calendar quarter (UTC) holding now: a budget's default period. */
export const thisQuarter = () => quarterOf(new Date());

/** A budget with its figures moved through the one writer (budget-ledger.sql.ts), as granting would. */
export async function insertBudget(b: { tenantId: string; partnerId: string; kind: 'vendor' | 'partner'; granted: bigint; parent?: { id: string } }): Promise<string> {
  const { start, end } = thisQuarter();
  return harness.ds.transaction(async (em) => {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO budgets (tenant_id, partner_id, kind, currency, period_start, period_end, parent_budget_id)
       VALUES ($1, $2, $3, 'USD', $4, $5, $6) RETURNING id`,
      [b.tenantId, b.partnerId, b.kind, start, end, b.parent?.id ?? null],
    );
    const { id } = first(rows, 'INSERT INTO budgets');
    const move = { tenantId: b.tenantId, actor: null, reason: 'fixture', amount: b.granted };
    if (b.parent) await moveBudget(em, { ...move, budgetId: b.parent.id, type: 'allocate', counterpartBudgetId: id });
    await moveBudget(em, { ...move, budgetId: id, type: 'grant', counterpartBudgetId: b.parent?.id ?? null });
    return id;
  });
}

/** Opt-in: each tree's distributor gets 100000 partner-borne this quarter and allocates 20000 of it to its reseller. */
export async function addBudgetFixtures(w: World): Promise<void> {
  for (const t of [w.A, w.B]) {
    const distributor = await insertBudget({ tenantId: t.partner, partnerId: t.partner, kind: 'partner', granted: 100_000n });
    const reseller = await insertBudget({ tenantId: t.partner, partnerId: t.reseller, kind: 'partner', granted: 20_000n, parent: { id: distributor } });
    byTree.set(t.partner, { distributor, reseller });
  }
}
