import { useDeferredValue, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ApiError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Money } from '../components/Money';
import { ShowMore } from '../components/ShowMore';
import { formatMoney } from '../money';
import { useAccounts, useSubmitRequest, useTemplates } from './portal-api';
import { COST_BEARER, totalFaceValue, validityText } from './labels';
import type { Account } from '../api-types';
import { budgetRefusalText, passes } from '../budgets/budget-text';
import { BudgetWarning, IssueBudgetNote, useIssueBudget } from './IssueBudget';

/**
 * Issue a template to chosen subaccounts (R5-R9): pick a template, search and tick accounts (the
 * selection survives new searches), see the total face value before sending. A vendor-borne request
 * goes to the BD's queue; a partner-borne one is issued by the workers straight away.
 */
export function IssuePage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const templates = useTemplates('active');
  const [templateId, setTemplateId] = useState(params.get('template') ?? '');
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search);
  const accounts = useAccounts(q, '', 100);
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [problems, setProblems] = useState<{ template?: string; accounts?: string }>({});
  const submit = useSubmitRequest();
  const [confirming, setConfirming] = useState(false);
  // The names of the accounts as sent: a refusal names accounts by id, the page by name.
  const [sentNames, setSentNames] = useState<ReadonlyMap<string, string>>(new Map());
  const errorRef = useRef<HTMLDivElement>(null);
  const ids = { template: useId(), search: useId(), all: useId(), count: useId() };

  const templateList = templates.data?.items ?? [];
  const template = templateList.find((t) => t.id === templateId);
  const budget = useIssueBudget(template);
  const visible: Account[] = accounts.data?.items ?? [];
  // A deactivated account cannot receive a coupon (the API refuses the whole request): its box is
  // disabled and "select all" leaves it out. One ticked while still active (and shown deactivated
  // since) can only be unticked.
  const selectable = visible.filter(isSelectable);
  const deactivatedShown = visible.length - selectable.length;
  const allSelectableSelected = selectable.length > 0 && selectable.every((a) => selected.has(a.id));

  const toggle = (a: Account, on: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (on && isSelectable(a)) next.set(a.id, a.name);
      else next.delete(a.id);
      return next;
    });
  const toggleVisible = (on: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      for (const a of selectable) {
        if (on) next.set(a.id, a.name);
        else next.delete(a.id);
      }
      return next;
    });

  // Enter in a form's text field submits the form (implicit submission): here it would send the
  // request while the person is only searching. The list already follows the typing.
  const keepEnterInSearch = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) e.preventDefault();
  };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const p: typeof problems = {};
    if (!template) p.template = 'Choose the template to issue.';
    if (selected.size === 0) p.accounts = 'Select at least one subaccount.';
    setProblems(p);
    if (p.template || p.accounts) return;
    setConfirming(true); // nothing is sent before the person confirms what it will do
  }

  function send(close: () => void) {
    setSentNames(new Map(selected));
    submit.mutate(
      { templateId, accountIds: [...selected.keys()] },
      {
        onSuccess: (r) => {
          close();
          void navigate(`/portal/requests/${encodeURIComponent(r.id)}`, { state: { submitted: true } });
        },
        onError: () => {
          close();
          errorRef.current?.focus();
        },
      },
    );
  }

  const total = template ? totalFaceValue(template.faceValue, selected.size) : null;
  const refusal = submit.error instanceof ApiError ? submit.error : null;
  const refused = refusal?.idsNamed('accountIds') ?? [];
  const budgetFigures = refusal && template ? budgetRefusalText(refusal, template.currency) : null;
  const removeRefused = () => {
    setSelected((prev) => {
      const next = new Map(prev);
      for (const id of refused) next.delete(id);
      return next;
    });
    submit.reset();
  };

  return (
    <Page title="Issue coupons" description={<p>Issue one template to many of your subaccounts at once.</p>}>
      <form className="form issue-form" noValidate onSubmit={onSubmit} aria-describedby={ids.count}>
        <Field
          id={ids.template}
          label="Template"
          error={problems.template}
          status={
            <>
              {templates.isPending ? <Loading label="Loading templates…" /> : null}
              {templates.error ? <ErrorMessage error={templates.error} title="Templates could not be loaded" /> : null}
            </>
          }
          help={
            problems.template ? undefined : template ? (
              <>
                <Money minor={template.faceValue} currency={template.currency} /> each · {COST_BEARER[template.costBearer]} ·{' '}
                {validityText(template.validity)}
              </>
            ) : templates.data && templateList.length === 0 ? (
              <>No active template yet: <Link to="/portal/templates/new">create one</Link>.</>
            ) : (
              'Only active templates can be issued.'
            )
          }
        >
          {(aria) => (
            <select {...aria} value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
              <option value="">Choose a template…</option>
              {templateList.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({formatMoney(t.faceValue, t.currency)}, {t.costBearer}-borne)
                </option>
              ))}
            </select>
          )}
        </Field>

        <fieldset className="account-picker">
          <legend>Subaccounts</legend>
          <Field id={ids.search} label="Search subaccounts by name" help="The list updates as you type; your selection is kept.">
            {(aria) => (
              <input
                {...aria}
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                onKeyDown={keepEnterInSearch}
                autoComplete="off"
              />
            )}
          </Field>
          {accounts.isPending ? <Loading label="Loading subaccounts…" /> : null}
          {accounts.error ? <ErrorMessage error={accounts.error} title="Subaccounts could not be loaded" /> : null}
          {accounts.data && visible.length === 0 ? <EmptyState title={q ? `No subaccount name contains "${q}"` : 'You have no subaccounts yet'} /> : null}
          {visible.length > 0 ? (
            <>
              <div className="field-inline select-all">
                <input
                  id={ids.all}
                  type="checkbox"
                  checked={allSelectableSelected}
                  disabled={selectable.length === 0}
                  onChange={(e) => toggleVisible(e.target.checked)}
                />
                <label htmlFor={ids.all}>
                  {deactivatedShown > 0 ? `Select all ${selectable.length} active shown` : `Select all ${selectable.length} shown`}
                </label>
                {deactivatedShown > 0 ? (
                  <span className="hint"> ({deactivatedShown} deactivated {deactivatedShown === 1 ? 'subaccount cannot' : 'subaccounts cannot'} receive coupons)</span>
                ) : null}
              </div>
              <ul className="account-options">
                {visible.map((a) => (
                  <li key={a.id} className="field-inline">
                    <input
                      id={`pick-${a.id}`}
                      type="checkbox"
                      checked={selected.has(a.id)}
                      disabled={!isSelectable(a) && !selected.has(a.id)}
                      onChange={(e) => toggle(a, e.target.checked)}
                    />
                    <label htmlFor={`pick-${a.id}`}>
                      {a.name} <span className="hint">({a.kind}{a.status !== 'active' ? ', deactivated' : ''})</span>
                    </label>
                  </li>
                ))}
              </ul>
              <ShowMore list={accounts} label="Show more subaccounts" />
            </>
          ) : null}
          {problems.accounts ? <p className="field-error">{problems.accounts}</p> : null}
        </fieldset>

        <div className="issue-summary" id={ids.count} aria-live="polite">
          <p>
            <strong className="selected-count">{selected.size} {selected.size === 1 ? 'subaccount' : 'subaccounts'} selected</strong>
            {selected.size > 0 ? (
              <button type="button" className="button button-secondary button-small" onClick={() => setSelected(new Map())}>
                Clear selection
              </button>
            ) : null}
          </p>
          {template && total !== null ? (
            <p className="issue-total">
              Total face value: <Money minor={total} currency={template.currency} />{' '}
              <span className="hint">
                ({selected.size} × <Money minor={template.faceValue} currency={template.currency} />)
              </span>
            </p>
          ) : null}
          {template?.costBearer === 'vendor' ? <p className="hint">Vendor-borne: the request waits for your BD's approval before anything is issued.</p> : null}
          {template ? <IssueBudgetNote template={template} budget={budget} total={selected.size > 0 ? total : null} /> : null}
        </div>

        <div ref={errorRef} className="issue-refusal" tabIndex={-1}>
          {submit.error ? (
            <ErrorMessage error={submit.error} title="The request was refused">
              {budgetFigures ? <p className="refusal-figures">{budgetFigures}</p> : null}
              {refusal && refused.length > 0 ? (
                <>
                  <p>The subaccounts concerned:</p>
                  <ul className="refused-accounts">
                    {refused.map((id) => (
                      <li key={id}>{sentNames.get(id) ?? id}</li>
                    ))}
                  </ul>
                  <button type="button" className="button button-secondary button-small" onClick={removeRefused}>
                    Remove {refused.length === 1 ? 'it' : 'them'} from the selection
                  </button>
                </>
              ) : null}
            </ErrorMessage>
          ) : null}
        </div>
        <button type="submit" className="button button-primary" disabled={submit.isPending}>
          {submit.isPending ? 'Submitting…' : 'Submit request'}
        </button>
      </form>

      {template && total !== null ? (
        <ConfirmDialog
          open={confirming}
          title="Submit this request?"
          confirmLabel="Yes, submit request"
          pendingLabel="Submitting…"
          backLabel="Back"
          pending={submit.isPending}
          onConfirm={send}
          onClose={() => setConfirming(false)}
        >
          <p>
            Issue <strong>{template.name}</strong> to {countText(selected.size)}: <Money minor={total} currency={template.currency} /> in total face
            value ({selected.size} × <Money minor={template.faceValue} currency={template.currency} />).
          </p>
          <p className="hint">To: {namesText([...selected.values()])}.</p>
          {budget && passes(total, budget.available) ? <BudgetWarning budget={budget} total={total} /> : null}
          <p>
            {template.costBearer === 'vendor'
              ? 'Vendor-borne: the request goes to your BD for approval; nothing is issued before they approve.'
              : 'Partner-borne: the coupons are issued straight away, from your budget.'}
          </p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}

const isSelectable = (a: Account) => a.status === 'active';

const countText = (n: number) => `${n} ${n === 1 ? 'subaccount' : 'subaccounts'}`;

/** "a, b, c and 4 more": the first few names of a selection. */
function namesText(names: string[], shown = 5): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}
