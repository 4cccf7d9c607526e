import type { Budget, Template } from '../api-types';
import { Money } from '../components/Money';
import { useMe } from '../session';
import { useBudgets } from '../budgets/budget-api';
import { BUDGET_KIND, budgetInForce, passes, periodText } from '../budgets/budget-text';

/**
 * The budget a request of `template` submitted now draws on (R5, R36), as far as this partner can
 * see it: its own of the template's kind and currency whose period holds now. A reseller without
 * an allocation of its own draws on its distributor's, which it cannot read. `undefined` while
 * loading or with no template; `null` when the partner has none.
 */
export function useIssueBudget(template: Template | undefined): Budget | null | undefined {
  const { scope } = useMe();
  const budgets = useBudgets('portal', scope.partnerId);
  if (!template || !budgets.data) return undefined;
  return budgetInForce(budgets.data, template.costBearer, template.currency) ?? null;
}

/** What is left of that budget, and a warning when the request's total would pass it. */
export function IssueBudgetNote({ template, budget, total }: { template: Template; budget: Budget | null | undefined; total: string | null }) {
  const { scope } = useMe();
  if (budget === undefined) return null;
  const kind = BUDGET_KIND[template.costBearer].toLowerCase();
  if (budget === null) {
    return (
      <p className="hint budget-left">
        {template.costBearer === 'partner' && scope.partnerTier === 2
          ? `You have no ${kind} budget of your own in ${template.currency} for this period: the request draws on your distributor's, whose figures only your distributor sees.`
          : `You have no ${kind} budget in ${template.currency} for this period: no budget limits this request.`}
      </p>
    );
  }
  return (
    <>
      <p className="budget-left">
        Left of your {kind} budget for {periodText(budget.periodStart, budget.periodEnd)}: <Money minor={budget.available} currency={budget.currency} />
      </p>
      {total !== null && passes(total, budget.available) ? <BudgetWarning budget={budget} total={total} /> : null}
    </>
  );
}

/** "This request needs $150.00, more than the $100.00 left…": shown before sending, and in the confirm step. */
export function BudgetWarning({ budget, total }: { budget: Budget; total: string }) {
  return (
    <p className="budget-warning">
      This request needs <Money minor={total} currency={budget.currency} />, more than the <Money minor={budget.available} currency={budget.currency} />{' '}
      left of your {BUDGET_KIND[budget.kind].toLowerCase()} budget: it will be refused, and nothing issued. Select fewer subaccounts, or ask for more
      budget.
    </p>
  );
}
