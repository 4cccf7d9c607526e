import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { Money } from '../components/Money';
import { MonthStatus } from '../components/MonthStatus';
import { MonthField, useMonthParam } from '../components/MonthField';
import { formatMonth } from '../months';
import type { ExpenseRow } from '../api-types';
import { promotionExpenseCsv, usePromotionExpense, useSettlementMonths } from './admin-api';
import { expenseByBd, expenseTotals } from './expense-figures';

const NO_BD = 'No BD assigned';

/** R37: the vendor's promotion expense of a month (vendor-borne coupons' deductions net of refunds) per BD, partner and template. */
export function ExpensePage() {
  const [month, setMonth] = useMonthParam('month');
  const expense = usePromotionExpense(month);
  const state = useSettlementMonths(month, month).data?.items.find((m) => m.month === month);
  const rows = expense.data?.items ?? [];
  const name = formatMonth(month);

  return (
    <Page
      title="Promotion expense"
      description={<p>What vendor-borne coupons cost the vendor in a month: what they paid, net of refunds, per BD, partner and template. Months are calendar months in UTC.</p>}
    >
      <form className="filters filters-row" onSubmit={(e) => e.preventDefault()}>
        <MonthField label="Month" value={month} onChange={setMonth} />
      </form>
      {state ? <MonthStatus state={state} /> : null}
      {expense.isPending ? <Loading label={`Loading the promotion expense of ${name}…`} /> : null}
      {expense.error ? <ErrorMessage error={expense.error} title="The promotion expense could not be loaded" /> : null}
      {expense.data ? (
        <>
          <p>
            <a href={promotionExpenseCsv(month)} download>
              Download CSV
            </a>{' '}
            <span className="hint">the promotion expense of {name}</span>
          </p>
          {rows.length === 0 ? (
            <EmptyState title={`No promotion expense in ${name}`}>No vendor-borne coupon was used or refunded in this month.</EmptyState>
          ) : (
            <>
              <h2>Total</h2>
              <ul className="expense-totals">
                {expenseTotals(rows).map((t) => (
                  <li key={t.currency}>
                    <Money minor={t.net} currency={t.currency} /> ({t.currency})
                  </li>
                ))}
              </ul>
              <Table
                caption={`Per BD, ${name}`}
                rows={expenseByBd(rows)}
                rowKey={(b) => `${b.bdUserId ?? ''}-${b.currency}`}
                columns={[
                  { header: 'BD', cell: (b) => b.bdName ?? NO_BD },
                  { header: 'Partners', align: 'right', cell: (b) => b.partners },
                  { header: 'Deducted', align: 'right', cell: (b) => <Money minor={b.deducted} currency={b.currency} /> },
                  { header: 'Returned by refunds', align: 'right', cell: (b) => <Money minor={b.returned} currency={b.currency} /> },
                  { header: 'Expense', align: 'right', cell: (b) => <Money minor={b.net} currency={b.currency} /> },
                ]}
              />
              <Table
                caption={`Per BD, partner and template, ${name}`}
                rows={rows}
                rowKey={(r: ExpenseRow) => `${r.bdUserId ?? ''}-${r.partnerId}-${r.templateId ?? r.templateName}-${r.currency}`}
                columns={[
                  { header: 'BD', cell: (r) => r.bdName ?? NO_BD },
                  { header: 'Partner', cell: (r) => r.partnerName },
                  { header: 'Template', cell: (r) => r.templateName },
                  { header: 'Deducted', align: 'right', cell: (r) => <Money minor={r.deducted} currency={r.currency} /> },
                  { header: 'Returned by refunds', align: 'right', cell: (r) => <Money minor={r.returned} currency={r.currency} /> },
                  { header: 'Expense', align: 'right', cell: (r) => <Money minor={r.net} currency={r.currency} /> },
                ]}
              />
            </>
          )}
        </>
      ) : null}
    </Page>
  );
}
