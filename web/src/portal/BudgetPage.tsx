import { Link, useParams } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { Table } from '../components/Table';
import { ShowMore } from '../components/ShowMore';
import { useMe } from '../session';
import type { Budget, BudgetLedgerEntry } from '../api-types';
import { useBudget, useBudgetLedger } from '../budgets/budget-api';
import { BUDGET_KIND, BUDGET_MOVE, periodText } from '../budgets/budget-text';
import { mayAllocateFrom } from './BudgetsPage';
import { ResellerAllocations } from './ResellerAllocations';

/** One budget (R36): its figures, a distributor's allocations to its resellers, and its ledger. */
export function BudgetPage() {
  const { budgetId = '' } = useParams();
  const { scope } = useMe();
  const budget = useBudget('portal', budgetId);
  const b = budget.data;
  const back = <p><Link to="/portal/budgets">Back to the budgets</Link></p>;

  if (budget.isPending) return <Page title="Budget"><Loading label="Loading the budget…" /></Page>;
  if (!b) {
    return (
      <Page title="Budget">
        <ErrorMessage error={budget.error} title="The budget could not be loaded" />
        {back}
      </Page>
    );
  }
  return (
    <Page title={`${BUDGET_KIND[b.kind]} budget in ${b.currency}`}>
      {back}
      <BudgetFacts b={b} distributor={scope.partnerTier === 1} />
      {mayAllocateFrom(b, scope) ? <ResellerAllocations from={b} /> : null}
      <BudgetLedger b={b} />
    </Page>
  );
}

function BudgetFacts({ b, distributor }: { b: Budget; distributor: boolean }) {
  const m = (minor: string) => <Money minor={minor} currency={b.currency} />;
  return (
    <dl className="facts budget-facts">
      <div><dt>Period</dt><dd>{periodText(b.periodStart, b.periodEnd)}</dd></div>
      <div><dt>{b.parentBudgetId ? 'Allocated to you by your distributor' : 'Granted'}</dt><dd>{m(b.amount)}</dd></div>
      {distributor ? <div><dt>Allocated to resellers</dt><dd>{m(b.allocated)}</dd></div> : null}
      <div><dt>Reserved by open requests</dt><dd>{m(b.reserved)}</dd></div>
      <div><dt>Issued</dt><dd>{m(b.committed)}</dd></div>
      <div><dt>Left</dt><dd><strong>{m(b.available)}</strong></dd></div>
    </dl>
  );
}

function BudgetLedger({ b }: { b: Budget }) {
  const ledger = useBudgetLedger('portal', b.id);
  return (
    <section aria-labelledby="budget-ledger-heading">
      <h2 id="budget-ledger-heading">Ledger</h2>
      {ledger.isPending ? <Loading label="Loading the ledger…" /> : null}
      {ledger.error ? <ErrorMessage error={ledger.error} title="The ledger could not be loaded" /> : null}
      {ledger.data ? (
        <Table<BudgetLedgerEntry>
          caption="Every movement of the budget, oldest first"
          rows={ledger.data.items}
          rowKey={(e) => e.id}
          empty={<EmptyState title="Nothing has moved this budget yet" />}
          columns={[
            { header: 'Time', cell: (e) => <DateTime iso={e.at} /> },
            { header: 'What', cell: (e) => BUDGET_MOVE[e.type] },
            { header: 'Amount', align: 'right', cell: (e) => <Money minor={e.amount} currency={b.currency} /> },
            { header: 'By', cell: (e) => (e.by ? <>{e.by.name} <span className="hint">&lt;{e.by.email}&gt;</span></> : <span className="hint">Automatically</span>) },
            { header: 'Why', cell: (e) => e.reason ?? '—' },
            {
              header: 'Request',
              cell: (e) =>
                e.requestId ? (
                  <Link to={`/portal/requests/${encodeURIComponent(e.requestId)}`}>Request {e.requestId.slice(0, 8)}</Link>
                ) : e.couponId ? (
                  <span>Coupon {e.couponId.slice(0, 8)}</span>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      ) : null}
      <ShowMore list={ledger} label="Show more movements" />
    </section>
  );
}
