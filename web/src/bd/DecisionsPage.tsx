import { Link, useSearchParams } from 'react-router';
import { Page } from '../components/Page';
import { ParamFilter } from '../components/ParamFilter';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { StatusBadge } from '../components/StatusBadge';
import { ShowMore } from '../components/ShowMore';
import { useMyDecisions, type Outcome } from './bd-api';

const OUTCOMES: { value: Outcome | ''; label: string }[] = [
  { value: '', label: 'All decisions' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
];

/** "My decisions": what the BD approved or rejected, newest first, and what became of it (R9). */
export function DecisionsPage() {
  const [params] = useSearchParams();
  const raw = params.get('outcome');
  const outcome: Outcome | undefined = raw === 'approved' || raw === 'rejected' ? raw : undefined;
  const decisions = useMyDecisions(outcome);
  const rows = decisions.data?.items ?? [];

  return (
    <Page title="My decisions" description={<p>Requests you approved or rejected, newest first, with what became of them.</p>}>
      <ParamFilter label="Outcome" param="outcome" value={outcome ?? ''} options={OUTCOMES} />
      {decisions.isPending ? <Loading label="Loading your decisions…" /> : null}
      {decisions.error ? <ErrorMessage error={decisions.error} title="Your decisions could not be loaded" /> : null}
      {decisions.data ? (
        <Table
          caption={outcome ? `Requests you ${outcome}` : 'Requests you decided'}
          rows={rows}
          rowKey={(r) => r.id}
          empty={
            <EmptyState title="No decisions yet">
              Requests you approve or reject in the <Link to="/bd/queue">approval queue</Link> are listed here.
            </EmptyState>
          }
          columns={[
            { header: 'Decided', cell: (r) => (r.decidedAt ? <DateTime iso={r.decidedAt} /> : '') },
            { header: 'Partner', cell: (r) => r.partnerName },
            { header: 'Template', cell: (r) => <Link to={`/bd/queue?open=${encodeURIComponent(r.id)}`}>{r.templateName}</Link> },
            { header: 'Coupons', align: 'right', cell: (r) => r.totalAccounts },
            { header: 'Total', align: 'right', cell: (r) => <Money minor={r.totalFaceValue} currency={r.currency} /> },
            { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
            { header: 'Reason', cell: (r) => r.decisionReason ?? '' },
          ]}
        />
      ) : null}
      <ShowMore list={decisions} />
    </Page>
  );
}
