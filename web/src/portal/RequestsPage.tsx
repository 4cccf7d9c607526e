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
import { useRequests, useTemplates } from './portal-api';
import { RequestProgress } from './RequestProgress';
import type { RequestStatus } from '../api-types';

const STATUSES: { value: '' | RequestStatus; label: string }[] = [
  { value: '', label: 'All requests' },
  { value: 'pending_approval', label: 'Waiting for approval' },
  { value: 'issuing', label: 'Issuing' },
  { value: 'issued', label: 'Issued' },
  { value: 'issued_with_failures', label: 'Issued with failures' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'expired', label: 'Expired' },
];

/** The partner's issuance requests, newest first, with live progress while the workers issue (R9, R12). */
export function RequestsPage() {
  const [params] = useSearchParams();
  const raw = params.get('status') ?? '';
  const status = (STATUSES.some((s) => s.value === raw) ? raw : '') as '' | RequestStatus;
  const requests = useRequests(status);
  const templates = useTemplates('');
  const names = new Map((templates.data?.items ?? []).map((t) => [t.id, t.name]));
  const rows = requests.data?.items ?? [];

  return (
    <Page title="Requests" description={<p>Your issuance requests, newest first. Progress updates by itself while coupons are being issued.</p>}>
      <ParamFilter label="Status" param="status" value={status} options={STATUSES} />
      {requests.isPending ? <Loading label="Loading your requests…" /> : null}
      {requests.error ? <ErrorMessage error={requests.error} title="Your requests could not be loaded" /> : null}
      {requests.data ? (
        <Table
          caption={status ? `Requests: ${STATUSES.find((s) => s.value === status)?.label}` : 'Your requests'}
          rows={rows}
          rowKey={(r) => r.id}
          empty={
            <EmptyState title={status ? 'No request with this status' : 'No requests yet'}>
              <Link to="/portal/issue">Issue a template</Link> to your subaccounts.
            </EmptyState>
          }
          columns={[
            { header: 'Submitted', cell: (r) => <DateTime iso={r.createdAt} /> },
            {
              header: 'Template',
              cell: (r) => <Link to={`/portal/requests/${encodeURIComponent(r.id)}`}>{names.get(r.templateId) ?? 'Request'}</Link>,
            },
            { header: 'Coupons', align: 'right', cell: (r) => r.totalAccounts },
            { header: 'Total', align: 'right', cell: (r) => <Money minor={r.totalFaceValue} currency={r.currency} /> },
            { header: 'Cost bearer', cell: (r) => (r.costBearer === 'vendor' ? 'Vendor' : 'Partner') },
            { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
            { header: 'Progress', cell: (r) => <RequestProgress request={r} /> },
          ]}
        />
      ) : null}
      <ShowMore list={requests} />
    </Page>
  );
}
