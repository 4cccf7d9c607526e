import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Budget, Partner } from '../api-types';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Loading } from '../components/Loading';
import { Money } from '../components/Money';
import { ShowMore } from '../components/ShowMore';
import { Table } from '../components/Table';
import { formatMoney, minorToDecimal } from '../money';
import { useMe } from '../session';
import { useAllocations, useGrantBudget, useSetBudgetAmount } from '../budgets/budget-api';
import { BudgetRefusal } from '../budgets/BudgetRefusal';
import { passes, readAmount } from '../budgets/budget-text';
import { useResellers } from './portal-api';

const REASON_MAX = 1000;

/**
 * A distributor's allocations out of its partner-borne budget `from` (R36): allocate to a reseller
 * (added to what it has for the period), and per reseller its allocation with "Change" (a new
 * amount, down to what the reseller holds). The API refuses what the budget cannot cover; the
 * refusal is shown with its figures.
 */
export function ResellerAllocations({ from }: { from: Budget }) {
  const { scope } = useMe();
  const resellers = useResellers(scope.partnerId ?? '');
  const list = resellers.data?.items ?? [];
  const allocations = useAllocations('portal', from, list.map((r) => r.id));
  const [changing, setChanging] = useState<Partner | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const m = (minor: string) => <Money minor={minor} currency={from.currency} />;
  const figure = (r: Partner, pick: (b: Budget) => string) => {
    const a = allocations.byReseller.get(r.id);
    return a ? m(pick(a)) : a === null ? '—' : '…';
  };

  return (
    <section className="budget-section" aria-labelledby="allocations-heading">
      <h2 id="allocations-heading">Resellers</h2>
      <p>
        Left to allocate: <strong>{m(from.available)}</strong>. What you allocate to a reseller is its partner-borne budget for this period; its
        requests draw on it.
      </p>
      {done ? <p className="notice" role="status">{done}</p> : null}
      {resellers.isPending ? <Loading label="Loading resellers…" /> : null}
      {resellers.error ? <ErrorMessage error={resellers.error} title="Resellers could not be loaded" /> : null}
      {allocations.error ? <ErrorMessage error={allocations.error} title="Allocations could not be loaded" /> : null}
      {resellers.data && list.length === 0 ? <EmptyState title="You have no resellers yet" /> : null}
      {list.length > 0 ? (
        <>
          <AllocateForm from={from} resellers={list.filter((r) => r.status === 'active')} onDone={setDone} />
          <Table<Partner>
            caption="Allocations of this budget per reseller"
            rows={list}
            rowKey={(r) => r.id}
            columns={[
              { header: 'Reseller', cell: (r) => <>{r.name}{r.status !== 'active' ? <span className="hint"> (deactivated)</span> : null}</> },
              { header: 'Allocated', align: 'right', cell: (r) => figure(r, (a) => a.amount) },
              { header: 'Reserved by open requests', align: 'right', cell: (r) => figure(r, (a) => a.reserved) },
              { header: 'Issued', align: 'right', cell: (r) => figure(r, (a) => a.committed) },
              { header: 'Left', align: 'right', cell: (r) => figure(r, (a) => a.available) },
              {
                header: 'Change',
                cell: (r) =>
                  allocations.byReseller.get(r.id) ? (
                    <button type="button" className="button button-secondary button-small" onClick={() => { setDone(null); setChanging(r); }}>
                      Change<span className="visually-hidden"> the allocation of {r.name}</span>
                    </button>
                  ) : null,
              },
            ]}
          />
          <ShowMore list={resellers} label="Show more resellers" />
        </>
      ) : null}
      {changing && allocations.byReseller.get(changing.id) ? (
        <ChangeForm
          key={changing.id}
          reseller={changing}
          allocation={allocations.byReseller.get(changing.id)!}
          from={from}
          onClose={() => setChanging(null)}
          onDone={(text) => {
            setChanging(null);
            setDone(text);
          }}
        />
      ) : null}
    </section>
  );
}

function AllocateForm({ from, resellers, onDone }: { from: Budget; resellers: Partner[]; onDone: (text: string) => void }) {
  const grant = useGrantBudget('portal');
  const [resellerId, setResellerId] = useState('');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ reseller?: string; amount?: string; reason?: string }>({});
  const ids = { reseller: useId(), amount: useId(), reason: useId() };
  const typed = amount.trim() ? readAmount(amount, from.currency).minor : undefined;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const read = readAmount(amount, from.currency);
    const p = {
      reseller: resellerId ? undefined : 'Choose the reseller.',
      amount: read.problem,
      reason: reason.trim() ? undefined : 'Say why: the reseller and your colleagues see it in the ledger.',
    };
    setProblems(p);
    const reseller = resellers.find((r) => r.id === resellerId);
    if (!reseller || !read.minor || p.reason) return;
    grant.mutate(
      {
        partnerId: reseller.id,
        body: { kind: 'partner', currency: from.currency, amount: read.minor, reason: reason.trim(), periodStart: from.periodStart, periodEnd: from.periodEnd },
      },
      {
        onSuccess: (b) => {
          setAmount('');
          setReason('');
          onDone(`Allocated ${formatMoney(read.minor!, from.currency)} to ${reseller.name}: it now has ${formatMoney(b.amount, b.currency)} for this period.`);
        },
      },
    );
  }

  return (
    <form className="form budget-form" noValidate onSubmit={onSubmit} aria-labelledby={`${ids.reseller}-heading`}>
      <h3 id={`${ids.reseller}-heading`}>Allocate to a reseller</h3>
      <Field id={ids.reseller} label="Reseller" error={problems.reseller}>
        {(aria) => (
          <select {...aria} value={resellerId} onChange={(e) => setResellerId(e.target.value)}>
            <option value="">Choose a reseller…</option>
            {resellers.map((r) => (
              <option key={r.id} value={r.id}>{r.name}</option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={ids.amount}
        label={`Amount (${from.currency})`}
        error={problems.amount}
        help={
          typed && passes(typed, from.available)
            ? <>That is more than the <Money minor={from.available} currency={from.currency} /> you have left to allocate.</>
            : <>Added to what the reseller already has for this period. You have <Money minor={from.available} currency={from.currency} /> left to allocate.</>
        }
      >
        {(aria) => <input {...aria} inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <Field id={ids.reason} label="Reason" error={problems.reason} help="Shown in both budgets' ledgers.">
        {(aria) => <textarea {...aria} rows={2} maxLength={REASON_MAX} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      {grant.error ? <BudgetRefusal error={grant.error} currency={from.currency} title="The allocation was refused" /> : null}
      <button type="submit" className="button button-primary" disabled={grant.isPending}>
        {grant.isPending ? 'Allocating…' : 'Allocate'}
      </button>
    </form>
  );
}

function ChangeForm({ reseller, allocation, from, onClose, onDone }: {
  reseller: Partner;
  allocation: Budget;
  from: Budget;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const change = useSetBudgetAmount('portal');
  const [amount, setAmount] = useState(() => minorToDecimal(allocation.amount, allocation.currency));
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ amount?: string; reason?: string }>({});
  const ids = { amount: useId(), reason: useId() };
  const amountRef = useRef<HTMLInputElement>(null);
  // Opened by "Change": the person types the new amount next.
  useEffect(() => amountRef.current?.focus(), []);
  const held = (BigInt(allocation.used) + BigInt(allocation.allocated)).toString();
  const most = (BigInt(allocation.amount) + BigInt(from.available)).toString();

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const read = readAmount(amount, allocation.currency, true); // 0 takes back all that is not held
    const p = { amount: read.problem, reason: reason.trim() ? undefined : 'Say why: the reseller sees it in its ledger.' };
    setProblems(p);
    if (!read.minor || p.reason) return;
    change.mutate(
      { id: allocation.id, body: { amount: read.minor, reason: reason.trim() } },
      { onSuccess: (b) => onDone(`The allocation of ${reseller.name} is now ${formatMoney(b.amount, b.currency)} (it was ${formatMoney(allocation.amount, allocation.currency)}).`) },
    );
  }

  return (
    <form className="form budget-form" noValidate onSubmit={onSubmit} aria-labelledby={`${ids.amount}-heading`}>
      <h3 id={`${ids.amount}-heading`}>Change the allocation of {reseller.name}</h3>
      <Field
        id={ids.amount}
        label={`New allocation (${allocation.currency})`}
        error={problems.amount}
        help={<>Now <Money minor={allocation.amount} currency={allocation.currency} />. At least <Money minor={held} currency={allocation.currency} /> (what its requests hold), at most <Money minor={most} currency={allocation.currency} /> (with what you have left).</>}
      >
        {(aria) => <input {...aria} ref={amountRef} inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} />}
      </Field>
      <Field id={ids.reason} label="Reason for the change" error={problems.reason}>
        {(aria) => <textarea {...aria} rows={2} maxLength={REASON_MAX} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      {change.error ? <BudgetRefusal error={change.error} currency={allocation.currency} title="The change was refused" /> : null}
      <div className="form-row">
        <button type="submit" className="button button-primary" disabled={change.isPending}>
          {change.isPending ? 'Saving…' : 'Save the new allocation'}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}
