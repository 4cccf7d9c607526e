import { useId, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { Money } from '../components/Money';
import { Field } from '../components/Field';
import { formatMoney } from '../money';
import { useMe } from '../session';
import { couponReportCsv, useAccounts, useDeductions } from './portal-api';
import { monthOf } from './labels';
import type { DeductionRow } from '../api-types';

const RANGES = [3, 6, 12] as const;

interface MonthBar {
  month: string;
  /** Exact, for every label and tooltip (formatMoney). */
  deductedMinor: string;
  /**
   * Only the bar's height: recharts draws numbers, so the exact minor-unit string becomes a Number
   * here and nowhere else. A Number is exact to 2^53 minor units, and a bar's height needs no more;
   * no amount a person reads is ever taken from this field.
   */
  height: number;
}

/** Per month of the range, the sum of `deducted` in one currency (BigInt), zero for months without any. */
export function monthBars(rows: DeductionRow[], months: string[], currency: string): MonthBar[] {
  const sums = new Map<string, bigint>(months.map((m) => [m, 0n]));
  for (const r of rows) if (r.currency === currency && sums.has(r.month)) sums.set(r.month, sums.get(r.month)! + BigInt(r.deducted));
  return months.map((m) => {
    const minor = sums.get(m)!.toString();
    return { month: m, deductedMinor: minor, height: Number(minor) };
  });
}

/** Coupon deductions of the partner's subaccounts per month (R24): a chart, the same data as a table, CSV downloads. */
export function UsagePage() {
  const { scope } = useMe();
  const partnerId = scope.partnerId ?? '';
  const [range, setRange] = useState<(typeof RANGES)[number]>(6);
  const [accountId, setAccountId] = useState('');
  const [picked, setPicked] = useState('');
  const months = useMemo(() => Array.from({ length: range }, (_, i) => monthOf(range - 1 - i)), [range]);
  // range is one of RANGES (3 or more): months has a first and a last
  const deductions = useDeductions(partnerId, months[0]!, months[months.length - 1]!, accountId);
  const accounts = useAccounts('', '', 100);
  const ids = { range: useId(), account: useId(), currency: useId() };
  const rows = deductions.data?.items ?? [];
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  const currency = currencies.includes(picked) ? picked : (currencies[0] ?? 'USD');
  const bars = monthBars(rows, months, currency);

  return (
    <Page title="Usage" description={<p>Coupon deductions of your subaccounts per month (UTC), net of refunds returned to coupons.</p>}>
      <form className="filters filters-row" onSubmit={(e) => e.preventDefault()}>
        <Field id={ids.range} label="Period">
          {(aria) => (
            <select {...aria} value={range} onChange={(e) => setRange(Number(e.target.value) as (typeof RANGES)[number])}>
              {RANGES.map((r) => <option key={r} value={r}>Last {r} months</option>)}
            </select>
          )}
        </Field>
        <Field id={ids.account} label="Subaccount">
          {(aria) => (
            <select {...aria} value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">All subaccounts</option>
              {(accounts.data?.items ?? []).map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          )}
        </Field>
        {currencies.length > 1 ? (
          <Field id={ids.currency} label="Chart currency">
            {(aria) => (
              <select {...aria} value={currency} onChange={(e) => setPicked(e.target.value)}>
                {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            )}
          </Field>
        ) : null}
      </form>

      {deductions.isPending ? <Loading label="Loading deductions…" /> : null}
      {deductions.error ? <ErrorMessage error={deductions.error} title="Deductions could not be loaded" /> : null}
      {deductions.data && rows.length === 0 ? <EmptyState title="No coupon deductions in this period" /> : null}
      {rows.length > 0 ? (
        <>
          <h2>Deductions per month ({currency})</h2>
          {/* The chart is a picture of the table below, which screen readers read instead. */}
          <figure className="usage-chart" aria-hidden="true">
            <BarChart accessibilityLayer={false} width={720} height={280} data={bars} margin={{ top: 10, right: 20, bottom: 10, left: 30 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="month" />
              <YAxis tickFormatter={(v: number) => formatMoney(String(Math.round(v)), currency)} width={90} />
              <Tooltip formatter={(_v, _n, item) => [formatMoney((item.payload as MonthBar).deductedMinor, currency), 'Deducted']} />
              <Bar dataKey="height" name="Deducted" fill="#2f6fb3" isAnimationActive={false} />
            </BarChart>
          </figure>
          <ul className="usage-month-totals visually-hidden">
            {bars.map((b) => <li key={b.month}>{b.month}: {formatMoney(b.deductedMinor, currency)}</li>)}
          </ul>
          <Table
            caption="Deductions per month and subaccount"
            rows={rows}
            rowKey={(r) => `${r.month}-${r.accountId}-${r.currency}`}
            columns={[
              { header: 'Month', cell: (r) => r.month },
              { header: 'Subaccount', cell: (r) => r.accountName },
              { header: 'Deducted', align: 'right', cell: (r) => <Money minor={r.deducted} currency={r.currency} /> },
              { header: 'Returned', align: 'right', cell: (r) => <Money minor={r.returned} currency={r.currency} /> },
              { header: 'Net', align: 'right', cell: (r) => <Money minor={r.net} currency={r.currency} /> },
            ]}
          />
        </>
      ) : null}

      <h2>Downloads</h2>
      <p className="hint">The monthly coupon report: deductions per subaccount and template, as CSV.</p>
      <ul className="downloads">
        {[...months].reverse().map((m) => (
          <li key={m}>
            <a href={couponReportCsv(partnerId, m)} download>Coupon report {m} (CSV)</a>
          </li>
        ))}
      </ul>
    </Page>
  );
}
