import { Link } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { MonthBadge } from '../components/MonthStatus';
import { MonthsUpToFilter, useMonthParam } from '../components/MonthField';
import { formatMonth, hasEnded } from '../months';
import { MONTHS_SHOWN, rangeStart } from '../settlement-months';
import { useMe } from '../session';
import type { SettlementMonth, SettlementTotals } from '../api-types';
import { useSettlementMonths, useSettlements } from './settlement-api';
import { owedToText, SETTLEMENT_READERS, settlementIntro } from './settlement-text';

interface Row {
  month: SettlementMonth;
  /** null: nothing was deducted or returned in the month, in any currency. */
  totals: SettlementTotals | null;
}

/**
 * R37: the partner's settlement months, newest first, with what it owes per currency (its own
 * partner-borne coupons plus what its resellers' pass up), the adjustments in that, and the
 * vendor-borne figures apart. Each month opens its lines.
 */
export function SettlementPage() {
  const { scope } = useMe();
  const partnerId = scope.partnerId ?? '';
  const [to, setTo] = useMonthParam('to');
  const months = useSettlementMonths(rangeStart(to), to);
  const settlements = useSettlements(partnerId, to);
  const distributor = scope.partnerTier === 1;
  const totals = settlements.data?.items ?? [];
  const rows: Row[] = (months.data?.items ?? []).flatMap((m): Row[] => {
    const mine = totals.filter((t) => t.month === m.month);
    return mine.length > 0 ? mine.map((t) => ({ month: m, totals: t })) : [{ month: m, totals: null }];
  });
  const money = (pick: (t: SettlementTotals) => string) => (r: Row) => (r.totals ? <Money minor={pick(r.totals)} currency={r.totals.currency} /> : null);

  return (
    <Page title="Settlement" description={<p>{settlementIntro(distributor)}</p>}>
      <MonthsUpToFilter to={to} onChange={setTo} count={MONTHS_SHOWN} />
      {months.isPending || settlements.isPending ? <Loading label="Loading your settlements…" /> : null}
      {settlements.error || months.error ? (
        <ErrorMessage error={settlements.error ?? months.error} title="Your settlements could not be loaded" forbidden={SETTLEMENT_READERS} />
      ) : null}
      {months.data && settlements.data ? (
        <Table
          caption={`Settlements, ${formatMonth(rangeStart(to))} to ${formatMonth(to)}`}
          rows={rows}
          rowKey={(r) => `${r.month.month}-${r.totals?.currency ?? ''}`}
          columns={[
            { header: 'Month', cell: (r) => <Link to={`/portal/settlement/${r.month.month}`}>{formatMonth(r.month.month)}</Link> },
            { header: 'Status', cell: (r) => <StatusCell month={r.month} /> },
            { header: `You owe ${owedToText(distributor ? 'vendor' : 'distributor')}`, align: 'right', cell: (r) => (r.totals ? <Money minor={r.totals.owed} currency={r.totals.currency} /> : 'Nothing this month') },
            { header: 'Of which adjustments', align: 'right', cell: money((t) => t.adjustments) },
            ...(distributor ? [{ header: 'Passed up from your resellers', align: 'right' as const, cell: money((t) => t.passedUp) }] : []),
            { header: 'Vendor-borne (not owed by you)', align: 'right', cell: money((t) => t.vendorBorne) },
          ]}
        />
      ) : null}
    </Page>
  );
}

function StatusCell({ month }: { month: SettlementMonth }) {
  if (month.status === 'closed' && month.closedAt) {
    return (
      <>
        <MonthBadge status="closed" /> on <DateTime iso={month.closedAt} />
      </>
    );
  }
  return (
    <>
      <MonthBadge status="open" /> {hasEnded(month.month) ? 'not closed yet' : 'running'}: may still change
    </>
  );
}
