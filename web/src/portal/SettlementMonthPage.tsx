import { useId } from 'react';
import { Link, useParams } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table, type Column } from '../components/Table';
import { Money } from '../components/Money';
import { MonthStatus } from '../components/MonthStatus';
import { formatMonth, isMonth, type MonthText } from '../months';
import { useMe } from '../session';
import type { CurrencySettlement, MonthLiability, SettlementLine } from '../api-types';
import { settlementCsv, useSettlement, useSettlementMonths } from './settlement-api';
import { appliesTo, BEARER_WORDS, owedToText, SETTLEMENT_READERS, UTC_MONTHS } from './settlement-text';

/** R37 R38: one month's settlement per currency: totals, lines, opening and closing liability, CSV. */
export function SettlementMonthPage() {
  const { month = '' } = useParams();
  if (!isMonth(month)) {
    return (
      <Page title="Settlement">
        <EmptyState title="This address names no month">
          <Link to="/portal/settlement">See your settlement months</Link>.
        </EmptyState>
      </Page>
    );
  }
  return <MonthSettlement month={month} />;
}

function MonthSettlement({ month }: { month: MonthText }) {
  const { scope } = useMe();
  const partnerId = scope.partnerId ?? '';
  const settlement = useSettlement(partnerId, month);
  const state = useSettlementMonths(month, month).data?.items.find((m) => m.month === month);
  const name = formatMonth(month);
  const currencies = settlement.data?.settlements ?? [];

  return (
    <Page title={`Settlement: ${name}`} description={<p>{UTC_MONTHS}</p>}>
      <p>
        <Link to={`/portal/settlement?to=${month}`}>All settlement months</Link>
      </p>
      {state ? <MonthStatus state={state} /> : null}
      {settlement.isPending ? <Loading label={`Loading the settlement of ${name}…`} /> : null}
      {settlement.error ? <ErrorMessage error={settlement.error} title="This settlement could not be loaded" forbidden={SETTLEMENT_READERS} /> : null}
      {settlement.data ? (
        <>
          <p>
            <a href={settlementCsv(partnerId, month)} download>
              Download CSV
            </a>{' '}
            <span className="hint">every line of {name}, all currencies</span>
          </p>
          {currencies.length === 0 ? <EmptyState title={`Nothing to settle for ${name}`}>No coupon of yours was used or refunded in this month.</EmptyState> : null}
          {currencies.map((s) => (
            <CurrencySettlementView key={s.currency} s={s} />
          ))}
        </>
      ) : null}
    </Page>
  );
}

/** The columns every line ends with: which month it applies to, and its amounts. */
const amountColumns = (currency: string): Column<SettlementLine>[] => [
  { header: 'Applies to', cell: appliesTo },
  { header: 'Deducted', align: 'right', cell: (l) => <Money minor={l.deducted} currency={currency} /> },
  { header: 'Returned by refunds', align: 'right', cell: (l) => <Money minor={l.returned} currency={currency} /> },
  { header: 'Net', align: 'right', cell: (l) => <Money minor={l.net} currency={currency} /> },
];

function CurrencySettlementView({ s }: { s: CurrencySettlement }) {
  const headingId = useId();
  const of = (kind: SettlementLine['kind']) => s.lines.filter((l) => l.kind === kind);
  const m = (minor: string) => <Money minor={minor} currency={s.currency} />;
  const distributor = s.owedTo === 'vendor';
  return (
    <section className="settlement-currency" aria-labelledby={headingId}>
      <h2 id={headingId}>Amounts in {s.currency}</h2>
      <dl className="facts settlement-totals">
        <div>
          <dt>You owe {owedToText(s.owedTo)}</dt>
          <dd className="settlement-owed">{m(s.owed)}</dd>
        </div>
        <div>
          <dt>Your own partner-borne coupons</dt>
          <dd>{m(s.partnerBorne)}</dd>
        </div>
        {distributor ? (
          <div>
            <dt>Passed up from your resellers</dt>
            <dd>{m(s.passedUp)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Of which adjustments for earlier months</dt>
          <dd>{m(s.adjustments)}</dd>
        </div>
        <div>
          <dt>Vendor-borne coupons (the vendor's cost, not owed by you)</dt>
          <dd>{m(s.vendorBorne)}</dd>
        </div>
      </dl>
      <LineTable currency={s.currency} caption="Your partner-borne coupons, per template and subaccount" rows={of('partner_borne')} first={[
        { header: 'Template', cell: (l) => l.templateName },
        { header: 'Subaccount', cell: (l) => l.accountName ?? '' },
      ]} />
      <LineTable currency={s.currency} caption="Passed up from your resellers, per reseller and template" rows={of('reseller')} first={[
        { header: 'Reseller', cell: (l) => l.resellerName ?? '' },
        { header: 'Template', cell: (l) => l.templateName },
      ]} />
      <LineTable currency={s.currency} caption="Vendor-borne coupons, per template (not owed by you)" rows={of('vendor_borne')} first={[{ header: 'Template', cell: (l) => l.templateName }]} />
      {s.lines.length === 0 ? <p className="hint">No coupon was used or refunded in {s.currency} this month.</p> : null}
      <LiabilityTable currency={s.currency} rows={s.liability} />
    </section>
  );
}

function LineTable({ currency, caption, rows, first }: { currency: string; caption: string; rows: SettlementLine[]; first: Column<SettlementLine>[] }) {
  if (rows.length === 0) return null;
  return <Table caption={caption} rows={rows} rowKey={(l) => String(l.line)} columns={[...first, ...amountColumns(currency)]} />;
}

/** R38: per cost bearer, what was outstanding when the month began, each flow of the month, and at its end. */
function LiabilityTable({ currency, rows }: { currency: string; rows: MonthLiability[] }) {
  if (rows.length === 0) return null;
  const m = (pick: (b: MonthLiability) => string) => (b: MonthLiability) => <Money minor={pick(b)} currency={currency} />;
  return (
    <Table
      caption="Coupon liability: the coupons' open balances when the month began and when it ended"
      rows={rows}
      rowKey={(b) => b.costBearer}
      columns={[
        { header: 'Coupons', cell: (b) => BEARER_WORDS[b.costBearer] },
        { header: 'Opening', align: 'right', cell: m((b) => b.opening) },
        { header: 'Issued', align: 'right', cell: m((b) => b.issued) },
        { header: 'Deducted', align: 'right', cell: m((b) => b.deducted) },
        { header: 'Returned', align: 'right', cell: m((b) => b.returned) },
        { header: 'Revoked', align: 'right', cell: m((b) => b.revoked) },
        { header: 'Expired', align: 'right', cell: m((b) => b.expired) },
        { header: 'Reclaimed into voucher pools', align: 'right', cell: m((b) => b.reclaimed) },
        { header: 'Closing', align: 'right', cell: m((b) => b.closing) },
      ]}
    />
  );
}
