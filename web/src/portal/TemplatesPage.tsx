import { Link, useLocation, useSearchParams } from 'react-router';
import { Page } from '../components/Page';
import { ParamFilter } from '../components/ParamFilter';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { Money } from '../components/Money';
import { ShowMore } from '../components/ShowMore';
import { useTemplates } from './portal-api';
import { SHORT_BEARER, USAGE, validityText } from './labels';

const TEMPLATE_FILTER = [
  { value: '', label: 'All templates' },
  { value: 'active', label: 'Active' },
  { value: 'archived', label: 'Archived' },
];

/** The partner's coupon templates (R4), active or archived, with a way to issue each. */
export function TemplatesPage() {
  const [params] = useSearchParams();
  const raw = params.get('status');
  const status = raw === 'active' || raw === 'archived' ? raw : '';
  const templates = useTemplates(status);
  const created = (useLocation().state as { created?: string } | null)?.created;
  const rows = templates.data?.items ?? [];

  return (
    <Page title="Templates" description={<p>What your coupons are worth and where they apply. <Link to="/portal/templates/new">New template</Link></p>}>
      {created ? <p className="notice" role="status">Template “{created}” created.</p> : null}
      <ParamFilter label="Show" param="status" value={status} options={TEMPLATE_FILTER} />
      {templates.isPending ? <Loading label="Loading templates…" /> : null}
      {templates.error ? <ErrorMessage error={templates.error} title="Templates could not be loaded" /> : null}
      {templates.data ? (
        <Table
          caption="Your templates"
          rows={rows}
          rowKey={(t) => t.id}
          empty={
            <EmptyState title={status ? `No ${status} templates` : 'No templates yet'}>
              <Link to="/portal/templates/new">Create your first template</Link>.
            </EmptyState>
          }
          columns={[
            { header: 'Name', cell: (t) => t.name },
            { header: 'Face value', align: 'right', cell: (t) => <Money minor={t.faceValue} currency={t.currency} /> },
            { header: 'Cost bearer', cell: (t) => SHORT_BEARER[t.costBearer] },
            { header: 'Validity', cell: (t) => validityText(t.validity) },
            { header: 'Usage', cell: (t) => USAGE[t.usage] },
            { header: 'Products', cell: (t) => (t.productCodes.length ? t.productCodes.join(', ') : 'General') },
            { header: 'Issued so far', align: 'right', cell: (t) => t.committed.count },
            { header: 'Status', cell: (t) => (t.status === 'archived' ? 'Archived' : 'Active') },
            {
              header: 'Actions',
              cell: (t) =>
                t.status === 'active' ? (
                  <Link to={`/portal/issue?template=${encodeURIComponent(t.id)}`}>Issue<span className="visually-hidden"> {t.name}</span></Link>
                ) : (
                  ''
                ),
            },
          ]}
        />
      ) : null}
      <ShowMore list={templates} />
    </Page>
  );
}
