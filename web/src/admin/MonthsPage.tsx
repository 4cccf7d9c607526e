import { useRef, useState } from 'react';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { DateTime } from '../components/DateTime';
import { MonthBadge } from '../components/MonthStatus';
import { MonthsUpToFilter, useMonthParam } from '../components/MonthField';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { formatMonth, hasEnded, type MonthText } from '../months';
import { MONTHS_SHOWN, rangeStart } from '../settlement-months';
import type { SettlementMonth } from '../api-types';
import { useCloseMonth, useSettlementMonths } from './admin-api';
import { closeRefusal } from './close-text';
import { isPast } from '../time';

/**
 * R37: the settlement months, newest first: which are closed and when, and Close for a month that
 * is over (after a confirm step). Closing freezes every partner's settlement of the month; the
 * scheduled job does the same on its own once the month's grace period has passed.
 */
export function MonthsPage() {
  const [to, setTo] = useMonthParam('to');
  const months = useSettlementMonths(rangeStart(to), to);
  const close = useCloseMonth();
  const [asked, setAsked] = useState<MonthText | null>(null);
  // After the dialog, the focus goes to the outcome: the Close button it came from is gone once the month closes.
  const outcomeRef = useRef<HTMLDivElement>(null);
  const closing = close.variables;
  const refusal = close.error && closing ? closeRefusal(close.error, closing) : null;

  return (
    <Page
      title="Settlement months"
      description={
        <p>
          A month closes once it is over: every partner's settlement of it is then frozen, and a later refund shows up in the month it is
          made, as an adjustment. The scheduled job closes each month by itself shortly after it ends. Months are calendar months in UTC.
        </p>
      }
    >
      <MonthsUpToFilter to={to} onChange={setTo} count={MONTHS_SHOWN} />
      <div ref={outcomeRef} tabIndex={-1} className="close-outcome">
        {close.data ? (
          <p className="notice" role="status">
            {formatMonth(close.data.month)} is closed: {close.data.settlements} {close.data.settlements === 1 ? 'settlement is' : 'settlements are'} frozen.
          </p>
        ) : null}
        {refusal ? (
          <p className="form-error" role="alert">
            {refusal}
          </p>
        ) : close.error ? (
          <ErrorMessage error={close.error} title={closing ? `${formatMonth(closing)} could not be closed` : undefined} />
        ) : null}
      </div>
      {months.isPending ? <Loading label="Loading the settlement months…" /> : null}
      {months.error ? <ErrorMessage error={months.error} title="The settlement months could not be loaded" /> : null}
      {months.data ? (
        <Table
          caption={`Settlement months, ${formatMonth(rangeStart(to))} to ${formatMonth(to)}`}
          rows={months.data.items}
          rowKey={(m) => m.month}
          columns={[
            { header: 'Month', cell: (m) => formatMonth(m.month) },
            { header: 'Status', cell: (m) => <MonthBadge status={m.status} /> },
            { header: 'Closed on', cell: (m) => (m.closedAt ? <DateTime iso={m.closedAt} /> : <CloseFrom month={m} />) },
            {
              header: 'Action',
              cell: (m) =>
                m.status === 'open' && hasEnded(m.month) ? (
                  <button type="button" className="button button-secondary" disabled={close.isPending} onClick={() => setAsked(m.month)}>
                    Close<span className="visually-hidden"> {formatMonth(m.month)}</span>
                  </button>
                ) : null,
            },
          ]}
        />
      ) : null}
      <ConfirmDialog
        open={asked !== null}
        title={asked ? `Close ${formatMonth(asked)}?` : 'Close the month?'}
        confirmLabel={asked ? `Yes, close ${formatMonth(asked)}` : 'Yes, close'}
        pendingLabel="Closing…"
        backLabel="Keep it open"
        pending={close.isPending}
        onConfirm={(done) => {
          if (!asked) return;
          close.mutate(asked, {
            onSettled: () => {
              done();
              outcomeRef.current?.focus();
            },
          });
        }}
        onClose={() => setAsked(null)}
      >
        <p>
          Every partner's settlement of {asked ? formatMonth(asked) : 'the month'} (UTC) will be frozen, for every tenant. This cannot be undone: a
          refund made later shows up in the month it is made, as an adjustment.
        </p>
      </ConfirmDialog>
    </Page>
  );
}

/** An open month: from when it may close, or that it may now. */
function CloseFrom({ month }: { month: SettlementMonth }) {
  if (isPast(month.closableAt)) return <span className="hint">Not closed; it can close now</span>;
  return (
    <span className="hint">
      Not closed; it can close from <DateTime iso={month.closableAt} />
    </span>
  );
}
