import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { Table } from '../components/Table';
import { Field } from '../components/Field';
import { useMe } from '../session';
import { statementCsvHref, useCouponNames, useOverdueBills, useProducts, useStatement } from './billing-api';
import type { StatementLine, StatementRefund } from './statement-types';
import { couponName } from './coupon-text';

type Period = 'daily' | 'monthly';

const today = () => new Date().toISOString().slice(0, 10);

/** R24: the account's daily or monthly statement (UTC days and months, as the API counts them). */
export function StatementPage() {
  const { scope } = useMe();
  const accountId = scope.accountId;
  const ids = { period: useId(), date: useId() };
  const [period, setPeriod] = useState<Period>('monthly');
  const [day, setDay] = useState(today());
  const [month, setMonth] = useState(today().slice(0, 7));
  const date = period === 'daily' ? day : month;
  const valid = period === 'daily' ? /^\d{4}-\d{2}-\d{2}$/.test(date) : /^\d{4}-\d{2}$/.test(date);
  const statement = useStatement(valid ? accountId : null, period, date);
  const overdue = useOverdueBills(accountId);
  const coupons = useCouponNames();
  const products = useProducts();
  const names = useMemo(() => new Map((products.data ?? []).map((p) => [p.code, p.name])), [products.data]);
  const overdueIds = useMemo(() => new Set((overdue.data ?? []).map((b) => b.id)), [overdue.data]);
  const productText = (codes: string) => codes.split(' ').filter(Boolean).map((c) => names.get(c) ?? c).join(', ');
  const couponText = (id: string) => {
    const c = coupons.data?.get(id);
    return c ? couponName(c) : `Coupon ${id.slice(0, 8)}`;
  };
  const s = statement.data;

  if (!accountId) return <Page title="Statements"><ErrorMessage error="Your sign-in is not tied to an account." /></Page>;
  return (
    <Page title="Statements" description="Each bill and order of a day or a month: its amount, what coupons paid, and the cash due (UTC dates).">
      {overdue.data && overdue.data.length > 0 ? (
        <div className="error-message billing-overdue" role="alert">
          <p>
            Your account has {overdue.data.length} overdue bill{overdue.data.length === 1 ? '' : 's'}: no coupon applies to it, and new purchases are
            refused until {overdue.data.length === 1 ? 'it is' : 'they are'} paid.
          </p>
        </div>
      ) : null}
      <form className="filters billing-filters" aria-label="Which statement" onSubmit={(e) => e.preventDefault()} noValidate>
        <Field id={ids.period} label="Period">
          {(aria) => (
            <select {...aria} value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
              <option value="daily">Daily</option>
              <option value="monthly">Monthly</option>
            </select>
          )}
        </Field>
        <Field id={ids.date} label={period === 'daily' ? 'Day' : 'Month'}>
          {(aria) =>
            period === 'daily' ? (
              <input {...aria} type="date" value={day} onChange={(e) => setDay(e.target.value)} />
            ) : (
              <input {...aria} type="month" value={month} placeholder="YYYY-MM" onChange={(e) => setMonth(e.target.value)} />
            )
          }
        </Field>
        {valid ? (
          <a className="button button-secondary" href={statementCsvHref(accountId, period, date)} download={`statement-${date}.csv`}>
            Download the statement (CSV)
          </a>
        ) : null}
      </form>
      {!valid ? <p className="field-error">Choose a {period === 'daily' ? 'day' : 'month'}.</p> : null}
      {statement.isPending && valid ? <Loading label="Loading the statement…" /> : null}
      {statement.isError ? <ErrorMessage error={statement.error} title="The statement could not be loaded" /> : null}
      {s ? (
        <>
          <Table<StatementLine>
            caption={`${s.period === 'daily' ? 'Day' : 'Month'} from ${new Date(s.from).toISOString().slice(0, 10)} (UTC): bills and orders`}
            rows={s.lines}
            rowKey={(l) => `${l.kind}-${l.id}`}
            empty={<EmptyState title="No bills or orders in this period" />}
            columns={[
              { header: 'When', cell: (l) => <DateTime iso={l.at} /> },
              {
                header: 'What',
                cell: (l) =>
                  l.kind === 'prepaid' ? (
                    <Link to={`/billing/orders/${l.id}`}>Prepaid order {l.id.slice(0, 8)}</Link>
                  ) : (
                    <span>
                      Pay-as-you-go bill {l.id.slice(0, 8)}
                      {overdueIds.has(l.id) ? <> <span className="badge billing-overdue-badge">Overdue</span></> : null}
                    </span>
                  ),
              },
              { header: 'Products', cell: (l) => productText(l.products) },
              { header: 'Amount', align: 'right', cell: (l) => <Money minor={l.amount} currency={l.currency} /> },
              { header: 'Coupon deduction', align: 'right', cell: (l) => <Money minor={l.couponDeduction} currency={l.currency} /> },
              {
                header: 'Coupons',
                cell: (l) =>
                  l.coupons.length === 0 ? '—' : (
                    <ul className="statement-coupons">
                      {l.coupons.map((c) => (
                        <li key={c.couponId}>
                          <Link to={`/billing/coupons/${c.couponId}`}>{couponText(c.couponId)}</Link>: <Money minor={c.amount} currency={l.currency} />
                        </li>
                      ))}
                    </ul>
                  ),
              },
              { header: 'Cash due', align: 'right', cell: (l) => <Money minor={l.cashDue} currency={l.currency} /> },
            ]}
          />
          {s.totals.length > 0 ? (
            <Table
              caption="Totals per currency"
              rows={s.totals}
              rowKey={(t) => t.currency}
              columns={[
                { header: 'Currency', cell: (t) => t.currency },
                { header: 'Amount', align: 'right', cell: (t) => <Money minor={t.amount} currency={t.currency} /> },
                { header: 'Coupon deduction', align: 'right', cell: (t) => <Money minor={t.couponDeduction} currency={t.currency} /> },
                { header: 'Cash due', align: 'right', cell: (t) => <Money minor={t.cashDue} currency={t.currency} /> },
              ]}
            />
          ) : null}
          {s.refunds.length > 0 ? (
            <>
              <Table<StatementRefund>
                caption="Refunds in this period"
                rows={s.refunds}
                rowKey={(r) => r.id}
                columns={[
                  { header: 'When', cell: (r) => <DateTime iso={r.at} /> },
                  { header: 'Order', cell: (r) => <Link to={`/billing/orders/${r.orderId}`}>Order {r.orderId.slice(0, 8)}</Link> },
                  { header: 'Rule', cell: (r) => (r.rule === 'five_day_full' ? 'Five-day full' : 'Partial') },
                  { header: 'Refunded in cash', align: 'right', cell: (r) => <Money minor={r.cashRefund} currency={r.currency} /> },
                  { header: 'Returned to coupon', align: 'right', cell: (r) => <Money minor={r.couponReturn} currency={r.currency} /> },
                  { header: 'Handling fee', align: 'right', cell: (r) => <Money minor={r.handlingFee} currency={r.currency} /> },
                ]}
              />
              <Table
                caption="Refund totals per currency"
                rows={s.refundTotals}
                rowKey={(t) => t.currency}
                columns={[
                  { header: 'Currency', cell: (t) => t.currency },
                  { header: 'Refunded in cash', align: 'right', cell: (t) => <Money minor={t.cashRefund} currency={t.currency} /> },
                  { header: 'Returned to coupons', align: 'right', cell: (t) => <Money minor={t.couponReturn} currency={t.currency} /> },
                  { header: 'Handling fees', align: 'right', cell: (t) => <Money minor={t.handlingFee} currency={t.currency} /> },
                ]}
              />
            </>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
