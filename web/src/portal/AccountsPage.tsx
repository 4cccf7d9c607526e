import { useDeferredValue, useId } from 'react';
import { useSearchParams } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Table } from '../components/Table';
import { DateTime } from '../components/DateTime';
import { ShowMore } from '../components/ShowMore';
import { Field } from '../components/Field';
import { statementCsv, useAccounts } from './portal-api';
import { monthOf } from './labels';

/** The partner's subaccounts: search by name, filter by kind, more pages on demand (R1). */
export function AccountsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const rawKind = params.get('kind');
  const kind = rawKind === 'customer' || rawKind === 'reseller' ? rawKind : '';
  const deferredQ = useDeferredValue(q);
  const accounts = useAccounts(deferredQ, kind);
  const ids = { q: useId(), kind: useId() };
  const rows = accounts.data?.items ?? [];
  const month = monthOf(0);
  const setParam = (k: string, v: string) =>
    setParams(
      (p) => {
        if (v) p.set(k, v);
        else p.delete(k);
        return p;
      },
      { replace: true },
    );

  return (
    <Page title="Subaccounts" description={<p>Your customers' billing accounts, and your resellers' own accounts.</p>}>
      <form className="filters filters-row" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field id={ids.q} label="Name contains">
          {(aria) => <input {...aria} type="search" value={q} onChange={(e) => setParam('q', e.target.value)} autoComplete="off" />}
        </Field>
        <Field id={ids.kind} label="Kind">
          {(aria) => (
            <select {...aria} value={kind} onChange={(e) => setParam('kind', e.target.value)}>
              <option value="">All kinds</option>
              <option value="customer">Customers</option>
              <option value="reseller">Resellers</option>
            </select>
          )}
        </Field>
      </form>
      {accounts.isPending ? <Loading label="Loading subaccounts…" /> : null}
      {accounts.error ? <ErrorMessage error={accounts.error} title="Subaccounts could not be loaded" /> : null}
      {accounts.data ? (
        <Table
          caption="Subaccounts"
          rows={rows}
          rowKey={(a) => a.id}
          empty={<EmptyState title={q || kind ? 'No subaccount matches' : 'You have no subaccounts yet'}>{q || kind ? 'Try another name or kind.' : null}</EmptyState>}
          columns={[
            { header: 'Name', cell: (a) => a.name },
            { header: 'Kind', cell: (a) => (a.kind === 'reseller' ? 'Reseller' : 'Customer') },
            { header: 'Status', cell: (a) => (a.status === 'active' ? 'Active' : 'Deactivated') },
            { header: 'Since', cell: (a) => <DateTime iso={a.createdAt} /> },
            {
              header: 'Statement',
              cell: (a) => (
                <a href={statementCsv(a.id, month)} download>
                  {month} CSV<span className="visually-hidden"> statement of {a.name}</span>
                </a>
              ),
            },
          ]}
        />
      ) : null}
      <ShowMore list={accounts} />
    </Page>
  );
}
