import { useId } from 'react';
import { Link } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { Money } from '../components/Money';
import { MonthBadge } from '../components/MonthStatus';
import { ShowMore } from '../components/ShowMore';
import { MonthsUpToFilter, useMonthParam } from '../components/MonthField';
import { formatMonth, monthOfInstant, type MonthText } from '../months';
import { MONTHS_SHOWN, rangeStart } from '../settlement-months';
import { useMe } from '../session';
import type { ResellerTotalsRow } from '../api-types';
import { useAccounts } from './portal-api';
import { useResellerTotals } from './settlement-api';
import { rangeFigures, resellersOf, type Flow, type RangeFigures, type Reseller } from './reseller-figures';
import { BEARER_WORDS, RESELLER_READERS, UTC_MONTHS } from './settlement-text';

const FLOW_HEADERS: [Flow, string][] = [
  ['issued', 'Issued'],
  ['deducted', 'Deducted'],
  ['returned', 'Returned by refunds'],
  ['revoked', 'Revoked'],
  ['expired', 'Expired'],
  ['reclaimed', 'Reclaimed into voucher pools'],
];

/**
 * R39: a distributor's resellers: per reseller its coupons' totals (per month, template and cost
 * bearer) and what it owes in settlement. The list of resellers is the distributor's own reseller
 * accounts; nothing of a reseller's customers is asked for or shown.
 */
export function ResellersPage() {
  const { scope } = useMe();
  const partnerId = scope.partnerId ?? '';
  const [to, setTo] = useMonthParam('to');
  const accounts = useAccounts('', 'reseller', 100);
  const totals = useResellerTotals(partnerId, to);
  const resellers = resellersOf(accounts.data?.items ?? [], totals.data);
  const from = rangeStart(to);

  return (
    <Page
      title="Resellers"
      description={
        <p>
          Your resellers' coupons and what each owes you in settlement. Their customers are theirs: they are not shown here. {UTC_MONTHS}
        </p>
      }
    >
      <MonthsUpToFilter to={to} onChange={setTo} count={MONTHS_SHOWN} />
      {accounts.isPending || totals.isPending ? <Loading label="Loading your resellers…" /> : null}
      {accounts.error ? <ErrorMessage error={accounts.error} title="Your reseller accounts could not be loaded" /> : null}
      {totals.error ? <ErrorMessage error={totals.error} title="Your resellers' totals could not be loaded" forbidden={RESELLER_READERS} /> : null}
      {accounts.data && totals.data ? (
        <>
          <p>
            {formatMonth(from)} to {formatMonth(to)}.
          </p>
          {resellers.length === 0 ? <EmptyState title="You have no resellers yet" /> : null}
          {resellers.map((r) => (
            <ResellerSection key={r.id} reseller={r} to={to} />
          ))}
        </>
      ) : null}
      <ShowMore list={accounts} label="Show more resellers" />
    </Page>
  );
}

function ResellerSection({ reseller, to }: { reseller: Reseller; to: MonthText }) {
  const headingId = useId();
  const figures = rangeFigures(reseller.rows, to);
  const outstandingHeader = to === monthOfInstant(new Date()) ? 'Outstanding now' : `Outstanding at the end of ${formatMonth(to)}`;
  const owed = [...reseller.owed].sort((a, b) => b.month.localeCompare(a.month) || a.currency.localeCompare(b.currency));
  return (
    <section className="reseller" aria-labelledby={headingId}>
      <h2 id={headingId}>{reseller.name}</h2>
      {reseller.accountName && reseller.accountName !== reseller.name ? <p className="hint">Its account with you: {reseller.accountName}</p> : null}
      {figures.length === 0 ? (
        <p>No coupon of this reseller's was issued, used or open in these months.</p>
      ) : (
        <Table
          caption={`${reseller.name}: coupon totals of these months`}
          rows={figures}
          rowKey={(f) => `${f.costBearer}-${f.currency}`}
          columns={[
            { header: 'Coupons', cell: (f) => `${BEARER_WORDS[f.costBearer]} (${f.currency})` },
            ...FLOW_HEADERS.map(([flow, header]) => ({ header, align: 'right' as const, cell: (f: RangeFigures) => <Money minor={f.flows[flow]} currency={f.currency} /> })),
            { header: outstandingHeader, align: 'right', cell: (f) => <Money minor={f.outstanding} currency={f.currency} /> },
          ]}
        />
      )}
      {owed.length > 0 ? (
        <Table
          caption={`${reseller.name}: what it owes you`}
          rows={owed}
          rowKey={(o) => `${o.month}-${o.currency}`}
          columns={[
            { header: 'Month', cell: (o) => <Link to={`/portal/settlement/${o.month}`}>{formatMonth(o.month)}</Link> },
            { header: 'Status', cell: (o) => <MonthBadge status={o.status} /> },
            { header: 'Owes you', align: 'right', cell: (o) => <Money minor={o.owed} currency={o.currency} /> },
          ]}
        />
      ) : (
        <p>It owes you nothing for these months.</p>
      )}
      {reseller.rows.length > 0 ? (
        <details className="reseller-months">
          <summary>Per month, template and cost bearer</summary>
          <Table
            caption={`${reseller.name}: per month, template and cost bearer`}
            rows={[...reseller.rows].sort((a, b) => b.month.localeCompare(a.month))}
            rowKey={(r) => `${r.month}-${r.templateId ?? r.templateName}-${r.costBearer}-${r.currency}`}
            columns={[
              { header: 'Month', cell: (r) => formatMonth(r.month) },
              { header: 'Template', cell: (r) => r.templateName },
              { header: 'Coupons', cell: (r) => BEARER_WORDS[r.costBearer] },
              ...FLOW_HEADERS.map(([flow, header]) => ({ header, align: 'right' as const, cell: (r: ResellerTotalsRow) => <Money minor={r[flow]} currency={r.currency} /> })),
              { header: 'Outstanding at the month\'s end', align: 'right', cell: (r) => <Money minor={r.outstanding} currency={r.currency} /> },
            ]}
          />
        </details>
      ) : null}
    </section>
  );
}
