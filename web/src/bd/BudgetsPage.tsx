import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { GrantBudgetBody, Partner } from '../api-types';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { ErrorMessage } from '../components/ErrorMessage';
import { EmptyState } from '../components/EmptyState';
import { Field } from '../components/Field';
import { formatMoney } from '../money';
import { useBudgets, useGrantBudget } from '../budgets/budget-api';
import { BudgetRefusal } from '../budgets/BudgetRefusal';
import { BudgetTable } from '../budgets/BudgetTable';
import { periodText, readAmount, utcDayStart } from '../budgets/budget-text';
import { useDistributors } from './bd-api';

const REASON_MAX = 1000;

interface Problems {
  partner?: string;
  currency?: string;
  amount?: string;
  reason?: string;
  last?: string;
}

/**
 * The BD grants vendor-borne budget (R36) to one of its distributors: what the vendor will bear for
 * that partner's coupons in a period (the current calendar quarter unless another is given), added
 * to what it has. The partner's budgets are shown under the form.
 */
export function BudgetsPage() {
  const [params, setParams] = useSearchParams();
  const partnerId = params.get('partner') ?? '';
  const partners = useDistributors();
  const budgets = useBudgets('bd', partnerId || null);
  const grant = useGrantBudget('bd');
  const [currency, setCurrency] = useState('USD');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [done, setDone] = useState<string | null>(null);
  const ids = { partner: useId(), currency: useId(), amount: useId(), reason: useId(), first: useId(), last: useId() };
  const list = partners.data ?? [];
  const partner: Partner | undefined = list.find((p) => p.id === partnerId);
  const code = currency.trim().toUpperCase();

  const choose = (id: string) => {
    setDone(null);
    grant.reset();
    setParams((p) => {
      if (id) p.set('partner', id);
      else p.delete('partner');
      return p;
    }, { replace: true });
  };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const p: Problems = {};
    if (!partner) p.partner = 'Choose the partner.';
    const currencyOk = /^[A-Z]{3}$/.test(code);
    if (!currencyOk) p.currency = 'Enter a three-letter currency code, such as USD.';
    const read = currencyOk ? readAmount(amount, code) : {};
    p.amount = read.problem;
    if (!reason.trim()) p.reason = 'Say why: the partner sees it in its ledger.';
    if (Boolean(first) !== Boolean(last)) p.last = 'Give both the first and the last day, or neither for the current quarter.';
    else if (first && last < first) p.last = 'The last day cannot be before the first.';
    setProblems(p);
    if (!partner || !read.minor || Object.values(p).some(Boolean)) return;
    const period = first && last ? { periodStart: utcDayStart(first), periodEnd: utcDayStart(last, true) } : {};
    const body: GrantBudgetBody = { kind: 'vendor', currency: code, amount: read.minor, reason: reason.trim(), ...period };
    setDone(null);
    grant.mutate(
      { partnerId: partner.id, body },
      {
        onSuccess: (b) => {
          setAmount('');
          setReason('');
          setDone(
            `Granted ${formatMoney(read.minor!, b.currency)} of vendor-borne budget to ${partner.name} for ${periodText(b.periodStart, b.periodEnd)}: ` +
              `${formatMoney(b.amount, b.currency)} in all, ${formatMoney(b.available, b.currency)} left.`,
          );
        },
      },
    );
  }

  return (
    <Page title="Budgets" description={<p>Grant vendor-borne budget to your partners: what the vendor bears for their vendor-borne coupons.</p>}>
      <form className="form budget-form" noValidate onSubmit={onSubmit}>
        <Field
          id={ids.partner}
          label="Partner"
          error={problems.partner}
          status={
            <>
              {partners.isPending ? <Loading label="Loading your partners…" /> : null}
              {partners.error ? <ErrorMessage error={partners.error} title="Your partners could not be loaded" /> : null}
            </>
          }
        >
          {(aria) => (
            <select {...aria} value={partnerId} onChange={(e) => choose(e.target.value)}>
              <option value="">Choose a partner…</option>
              {list.map((p) => (
                <option key={p.id} value={p.id}>{p.name}</option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-row">
          <Field id={ids.currency} label="Currency" error={problems.currency}>
            {(aria) => <input {...aria} value={currency} maxLength={3} autoComplete="off" size={4} onChange={(e) => setCurrency(e.target.value)} />}
          </Field>
          <Field id={ids.amount} label="Amount to grant" error={problems.amount} help="Added to what the partner has for the period.">
            {(aria) => <input {...aria} inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} />}
          </Field>
        </div>
        <Field id={ids.reason} label="Reason" error={problems.reason} help="The partner sees it in its budget's ledger.">
          {(aria) => <textarea {...aria} rows={2} maxLength={REASON_MAX} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <fieldset className="budget-period">
          <legend>Period (optional)</legend>
          <p className="hint">Leave both empty for the current calendar quarter. Days are in UTC; the last day is included.</p>
          <div className="form-row">
            <Field id={ids.first} label="First day (UTC)">
              {(aria) => <input {...aria} type="date" value={first} onChange={(e) => setFirst(e.target.value)} />}
            </Field>
            <Field id={ids.last} label="Last day (UTC)" error={problems.last}>
              {(aria) => <input {...aria} type="date" value={last} onChange={(e) => setLast(e.target.value)} />}
            </Field>
          </div>
        </fieldset>
        {grant.error ? <BudgetRefusal error={grant.error} currency={code} title="The grant was refused" /> : null}
        {done ? <p className="notice" role="status">{done}</p> : null}
        <button type="submit" className="button button-primary" disabled={grant.isPending}>
          {grant.isPending ? 'Granting…' : 'Grant vendor-borne budget'}
        </button>
      </form>

      {partner ? (
        <section aria-labelledby="bd-budgets-heading">
          <h2 id="bd-budgets-heading">Budgets of {partner.name}</h2>
          {budgets.isPending ? <Loading label="Loading the partner's budgets…" /> : null}
          {budgets.error ? <ErrorMessage error={budgets.error} title="The partner's budgets could not be loaded" /> : null}
          {budgets.data ? (
            <BudgetTable
              caption={`Budgets of ${partner.name}, newest period first`}
              budgets={budgets.data}
              withAllocated
              empty={<EmptyState title={`${partner.name} has no budgets yet`} />}
            />
          ) : null}
        </section>
      ) : null}
    </Page>
  );
}
