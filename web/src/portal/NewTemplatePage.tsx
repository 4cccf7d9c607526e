import { useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Page } from '../components/Page';
import { Field } from '../components/Field';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/Loading';
import { useMe } from '../session';
import { MoneyInputError, parseMoneyInput } from '../money';
import { useCreateTemplate, useProducts } from './portal-api';
import { apiFieldErrors, COST_BEARER } from './labels';

const SCENARIOS = [
  ['purchase', 'Purchase'],
  ['renewal', 'Renewal'],
  ['upgrade', 'Upgrade'],
  ['os_change', 'OS change'],
  ['trial_conversion', 'Trial conversion'],
] as const;
const CURRENCIES = ['USD', 'EUR', 'GBP', 'CNY', 'JPY'];

interface Form {
  name: string;
  description: string;
  currency: string;
  faceValue: string;
  costBearer: 'vendor' | 'partner';
  issueLimit: 'once' | 'unlimited';
  validityKind: 'relative' | 'fixed';
  days: string;
  from: string;
  until: string;
  usage: 'one_time' | 'reusable';
  productCodes: string[];
  billingModes: string[];
  scenarios: string[];
  minSpend: string;
  maxDurationMonths: string;
  allowPromotional: boolean;
}

type Errors = Record<string, string>;

/** datetime-local ("2026-05-01T00:00", the person's time) -> ISO instant, or null when not a date. */
function instant(local: string): string | null {
  const d = new Date(local);
  return local && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

/** The page's own checks (the obvious ones; the API checks everything again) and the body to send. */
export function checkTemplate(f: Form): { errors: Errors; body: Record<string, unknown> | null } {
  const errors: Errors = {};
  const body: Record<string, unknown> = {
    name: f.name.trim(),
    description: f.description.trim(),
    currency: f.currency,
    costBearer: f.costBearer,
    issueLimit: f.issueLimit,
    usage: f.usage,
    productCodes: f.productCodes,
    billingModes: f.billingModes,
    scenarios: f.billingModes.includes('prepaid') ? f.scenarios : [],
    allowPromotional: f.allowPromotional,
  };
  if (!body.name) errors.name = 'Give the template a name.';
  try {
    body.faceValue = parseMoneyInput(f.faceValue, f.currency);
    if (body.faceValue === '0') errors.faceValue = 'The face value must be more than zero.';
  } catch (e) {
    errors.faceValue = e instanceof MoneyInputError ? e.message : 'Enter an amount';
  }
  if (f.validityKind === 'relative') {
    const days = /^\d+$/.test(f.days.trim()) ? Number(f.days.trim()) : NaN;
    if (!Number.isInteger(days) || days < 1) errors['validity.days'] = 'Enter a whole number of days, 1 or more.';
    else body.validity = { kind: 'relative', days };
  } else {
    const from = instant(f.from);
    const until = instant(f.until);
    if (!from) errors['validity.from'] = 'Enter the first day the coupons are valid.';
    if (!until) errors['validity.until'] = 'Enter when the coupons stop being valid.';
    else if (from && until <= from) errors['validity.until'] = 'Must be after the start.';
    if (from && until) body.validity = { kind: 'fixed', from, until };
  }
  if (f.billingModes.length === 0) errors.billingModes = 'Choose prepaid, pay-as-you-go or both.';
  if (f.billingModes.includes('prepaid') && f.scenarios.length === 0) errors.scenarios = 'A prepaid coupon lists the transactions it covers: choose at least one.';
  if (f.minSpend.trim()) {
    try {
      body.minSpend = parseMoneyInput(f.minSpend, f.currency);
    } catch (e) {
      errors.minSpend = e instanceof MoneyInputError ? e.message : 'Enter an amount';
    }
  } else body.minSpend = null;
  if (f.maxDurationMonths.trim()) {
    const m = /^\d+$/.test(f.maxDurationMonths.trim()) ? Number(f.maxDurationMonths.trim()) : NaN;
    if (!Number.isInteger(m) || m < 1) errors.maxDurationMonths = 'Enter a whole number of months, 1 or more, or leave it empty.';
    else body.maxDurationMonths = m;
  } else body.maxDurationMonths = null;
  return { errors, body: Object.keys(errors).length ? null : body };
}

function CheckGroup({ legend, name, options, value, onChange, error }: {
  legend: string;
  name: string;
  options: readonly (readonly [string, string])[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset className="check-group" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map(([v, label]) => (
        <span key={v} className="field-inline">
          <input
            id={`${id}-${v}`}
            type="checkbox"
            name={name}
            checked={value.includes(v)}
            onChange={(e) => onChange(e.target.checked ? [...value, v] : value.filter((x) => x !== v))}
          />
          <label htmlFor={`${id}-${v}`}>{label}</label>
        </span>
      ))}
      {error ? <p className="field-error" id={`${id}-error`}>{error}</p> : null}
    </fieldset>
  );
}

/** A new coupon template (R4), checked on the page, then by the API, whose field errors land under each field. */
export function NewTemplatePage() {
  const { scope } = useMe();
  // R6: a tier-2 reseller has no vendor-borne option at all (the API refuses it anyway, 403).
  const tier2 = scope.partnerTier === 2;
  const bearers: ('vendor' | 'partner')[] = tier2 ? ['partner'] : ['partner', 'vendor'];
  const [f, setF] = useState<Form>({
    name: '', description: '', currency: 'USD', faceValue: '', costBearer: 'partner', issueLimit: 'unlimited',
    validityKind: 'relative', days: '30', from: '', until: '', usage: 'reusable', productCodes: [],
    billingModes: ['payg'], scenarios: [], minSpend: '', maxDurationMonths: '', allowPromotional: false,
  });
  const [local, setLocal] = useState<Errors>({});
  const create = useCreateTemplate();
  const products = useProducts();
  const navigate = useNavigate();
  const topRef = useRef<HTMLDivElement>(null);
  const id = useId();
  const fid = (k: string) => `${id}-${k}`;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((p) => ({ ...p, [k]: v }));

  const remote = apiFieldErrors(create.error);
  const err = (k: string) => local[k] ?? remote[k];

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.reset();
    const { errors, body } = checkTemplate(f);
    setLocal(errors);
    if (!body) {
      const first = Object.keys(errors)[0]!; // no body: there is an error at least
      document.getElementById(fid(first === 'billingModes' || first === 'scenarios' ? 'name' : first))?.focus();
      return;
    }
    create.mutate(body, {
      onSuccess: (t) => void navigate('/portal/templates', { state: { created: t.name } }),
      onError: () => topRef.current?.focus(),
    });
  }

  return (
    <Page title="New template" description={<p>A coupon template: what each coupon is worth, who bears its cost, when and where it applies.</p>}>
      <p><Link to="/portal/templates">← Templates</Link></p>
      <div ref={topRef} tabIndex={-1}>
        {create.error ? (
          <ErrorMessage error={create.error} title={Object.keys(remote).length ? 'The template was not created: please correct the fields marked below' : 'The template was not created'} />
        ) : null}
      </div>
      <form className="form template-form" noValidate onSubmit={onSubmit}>
        <Field id={fid('name')} label="Name" error={err('name')}>
          {(a) => <input {...a} value={f.name} onChange={(e) => set('name', e.target.value)} maxLength={200} />}
        </Field>
        <Field id={fid('description')} label="Description (optional)" error={err('description')}>
          {(a) => <textarea {...a} rows={2} value={f.description} onChange={(e) => set('description', e.target.value)} />}
        </Field>
        <div className="form-row">
          <Field id={fid('currency')} label="Currency" error={err('currency')}>
            {(a) => (
              <select {...a} value={f.currency} onChange={(e) => set('currency', e.target.value)}>
                {CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            )}
          </Field>
          <Field id={fid('faceValue')} label="Face value" error={err('faceValue')} help={`In ${f.currency}, e.g. 50 or 50.00`}>
            {(a) => <input {...a} inputMode="decimal" value={f.faceValue} onChange={(e) => set('faceValue', e.target.value)} />}
          </Field>
        </div>
        <Field id={fid('costBearer')} label="Cost bearer" error={err('costBearer')}
          help={tier2 ? 'As a reseller, your coupons are partner-borne.' : 'Vendor-borne requests wait for your BD; partner-borne ones are issued right away and count against your budget.'}>
          {(a) => (
            <select {...a} value={f.costBearer} onChange={(e) => set('costBearer', e.target.value as Form['costBearer'])}>
              {bearers.map((b) => <option key={b} value={b}>{COST_BEARER[b]}</option>)}
            </select>
          )}
        </Field>
        <div className="form-row">
          <Field id={fid('issueLimit')} label="Issue limit per subaccount" error={err('issueLimit')}>
            {(a) => (
              <select {...a} value={f.issueLimit} onChange={(e) => set('issueLimit', e.target.value as Form['issueLimit'])}>
                <option value="unlimited">Unlimited</option>
                <option value="once">Once per subaccount, ever</option>
              </select>
            )}
          </Field>
          <Field id={fid('usage')} label="Usage" error={err('usage')}>
            {(a) => (
              <select {...a} value={f.usage} onChange={(e) => set('usage', e.target.value as Form['usage'])}>
                <option value="reusable">Reusable until the balance is spent</option>
                <option value="one_time">One-time (used up by its first payment)</option>
              </select>
            )}
          </Field>
        </div>
        <fieldset className="check-group">
          <legend>Validity</legend>
          <Field id={fid('validityKind')} label="Kind of validity" error={err('validity')}>
            {(a) => (
              <select {...a} value={f.validityKind} onChange={(e) => set('validityKind', e.target.value as Form['validityKind'])}>
                <option value="relative">A number of days from issuance</option>
                <option value="fixed">A fixed window</option>
              </select>
            )}
          </Field>
          {f.validityKind === 'relative' ? (
            <Field id={fid('validity.days')} label="Days valid" error={err('validity.days')}>
              {(a) => <input {...a} inputMode="numeric" value={f.days} onChange={(e) => set('days', e.target.value)} />}
            </Field>
          ) : (
            <div className="form-row">
              <Field id={fid('validity.from')} label="Valid from" error={err('validity.from')}>
                {(a) => <input {...a} type="datetime-local" value={f.from} onChange={(e) => set('from', e.target.value)} />}
              </Field>
              <Field id={fid('validity.until')} label="Valid until (not included)" error={err('validity.until')}>
                {(a) => <input {...a} type="datetime-local" value={f.until} onChange={(e) => set('until', e.target.value)} />}
              </Field>
            </div>
          )}
        </fieldset>
        {products.isPending ? <Loading label="Loading products…" /> : null}
        {products.error ? <ErrorMessage error={products.error} title="Products could not be loaded" /> : null}
        {products.data ? (
          <CheckGroup
            legend="Products (none ticked: a general coupon)"
            name="productCodes"
            options={products.data.items.map((p) => [p.code, `${p.name} (${p.code})`] as const)}
            value={f.productCodes}
            onChange={(v) => set('productCodes', v)}
            error={err('productCodes')}
          />
        ) : null}
        <CheckGroup legend="Billing modes" name="billingModes" options={[['prepaid', 'Prepaid'], ['payg', 'Pay-as-you-go']]}
          value={f.billingModes} onChange={(v) => set('billingModes', v)} error={err('billingModes')} />
        {f.billingModes.includes('prepaid') ? (
          <CheckGroup legend="Prepaid transactions covered" name="scenarios" options={SCENARIOS} value={f.scenarios}
            onChange={(v) => set('scenarios', v)} error={err('scenarios')} />
        ) : null}
        <div className="form-row">
          <Field id={fid('minSpend')} label="Minimum spend (optional)" error={err('minSpend')} help="Applies only when a payment is larger than this.">
            {(a) => <input {...a} inputMode="decimal" value={f.minSpend} onChange={(e) => set('minSpend', e.target.value)} />}
          </Field>
          <Field id={fid('maxDurationMonths')} label="Longest subscription, in months (optional)" error={err('maxDurationMonths')}>
            {(a) => <input {...a} inputMode="numeric" value={f.maxDurationMonths} onChange={(e) => set('maxDurationMonths', e.target.value)} />}
          </Field>
        </div>
        <div className="field-inline">
          <input id={fid('allowPromotional')} type="checkbox" checked={f.allowPromotional} onChange={(e) => set('allowPromotional', e.target.checked)} />
          <label htmlFor={fid('allowPromotional')}>Also applies to orders from promotional campaigns</label>
        </div>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create template'}
        </button>
      </form>
    </Page>
  );
}
