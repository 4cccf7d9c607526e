import { Link } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { useMe } from '../session';
import { useBudgets } from '../budgets/budget-api';
import { BudgetTable, budgetName } from '../budgets/BudgetTable';
import type { Budget } from '../api-types';

/**
 * The partner's budgets (R36), newest period first: what was granted, handed on to resellers,
 * reserved by open requests, issued, and what is left. Each opens its ledger; a distributor's
 * partner-borne budget also its allocations to resellers.
 */
export function BudgetsPage() {
  const { scope } = useMe();
  const budgets = useBudgets('portal', scope.partnerId);
  const distributor = scope.partnerTier === 1;
  const allocates = (b: Budget) => mayAllocateFrom(b, scope);
  return (
    <Page
      title="Budgets"
      description={<p>What you may issue per period and currency, and what is left of it. Periods are in UTC.</p>}
    >
      {budgets.isPending ? <Loading label="Loading budgets…" /> : null}
      {budgets.error ? <ErrorMessage error={budgets.error} title="Budgets could not be loaded" /> : null}
      {budgets.data ? (
        <BudgetTable
          caption="Your budgets, newest period first"
          budgets={budgets.data}
          withAllocated={distributor}
          open={(b) => (
            <Link to={`/portal/budgets/${encodeURIComponent(b.id)}`}>
              {allocates(b) ? 'Ledger and resellers' : 'Ledger'}
              <span className="visually-hidden"> of {budgetName(b)}</span>
            </Link>
          )}
          empty={
            <EmptyState title="You have no budgets yet">
              {distributor
                ? 'Your BD grants vendor-borne budget; the platform admin your partner-borne budget. Until then no budget limits what you issue.'
                : 'Your distributor allocates partner-borne budget to you. Until then your requests draw on its budget.'}
            </EmptyState>
          }
        />
      ) : null}
      <section aria-labelledby="budgets-how">
        <h2 id="budgets-how">How budgets work</h2>
        <ul>
          <li>
            <strong>Vendor-borne</strong>: what the vendor bears for your vendor-borne coupons. <strong>Partner-borne</strong>: a ceiling on the
            coupons you pay for yourself{distributor ? ', part of which you may allocate to your resellers' : ', allocated to you by your distributor'}.
          </li>
          <li>A request reserves its total face value when you submit it; issuing turns that into issued; a rejected, cancelled or expired request gives it back, as do accounts that could not be issued.</li>
          <li>A request that would need more than is left is refused whole: nothing is issued.</li>
        </ul>
      </section>
    </Page>
  );
}

/**
 * Whether this person allocates from this budget: a distributor's partner admin, from its own
 * partner-borne budget. The API decides (CASL); this only keeps the form off pages where every
 * allocation would be refused.
 */
export function mayAllocateFrom(b: Budget, scope: { role: string; partnerId: string | null; partnerTier: number | null }): boolean {
  return b.kind === 'partner' && b.parentBudgetId === null && b.partnerId === scope.partnerId && scope.partnerTier === 1 && scope.role === 'partner_admin';
}
