import { useEffect, useId, useMemo, useReducer, useRef, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { Field } from '../components/Field';
import { ApiError } from '../api';
import { formatMoney, MoneyInputError, parseMoneyInput } from '../money';
import { formatDateTime } from '../time';
import { usePay, useProducts, useQuote, useUsableCoupons } from './billing-api';
import type { CheckoutBody, Order, Product, Quote, Scenario } from '../api-types';
import { couponName, productsText, SCENARIO_LABEL, SCENARIOS } from './coupon-text';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CNY', 'JPY'];

interface ItemDraft {
  key: number;
  productCode: string;
  amount: string;
  months: string;
}

interface ItemErrors {
  productCode?: string;
  amount?: string;
  months?: string;
}

/** What the person typed -> the API's body, or the problems to show under the fields. */
function toBody(d: { currency: string; scenario: Scenario; items: ItemDraft[]; promotional: boolean; paidOnBehalf: boolean }) {
  const errors = new Map<number, ItemErrors>();
  const items: CheckoutBody['items'] = [];
  for (const it of d.items) {
    const e: ItemErrors = {};
    if (!it.productCode) e.productCode = 'Choose a product';
    let amount = '';
    try {
      amount = parseMoneyInput(it.amount, d.currency);
      if (/^0+$/.test(amount)) e.amount = 'The amount must be more than zero';
    } catch (err) {
      e.amount = err instanceof MoneyInputError ? err.message : 'Enter an amount';
    }
    const months = it.months.trim();
    if (months !== '' && (!/^\d{1,3}$/.test(months) || Number(months) < 1 || Number(months) > 120)) e.months = 'Enter whole months, 1 to 120';
    if (Object.keys(e).length) errors.set(it.key, e);
    else items.push({ productCode: it.productCode, amount, ...(months ? { durationMonths: Number(months) } : {}) });
  }
  return errors.size ? { errors } : { body: { currency: d.currency, scenario: d.scenario, items, promotional: d.promotional, paidOnBehalf: d.paidOnBehalf } };
}

/** Everything the page remembers between renders (the payment's key and in-flight flag are refs). */
interface CheckoutState {
  currency: string;
  scenario: Scenario;
  items: ItemDraft[];
  /** The key the next item gets (keys name the items' fields: `checkout-amount-<key>`). */
  nextKey: number;
  promotional: boolean;
  paidOnBehalf: boolean;
  errors: Map<number, ItemErrors>;
  /** The body the shown quote is for: paying uses exactly it. */
  quoted: { body: CheckoutBody; quote: Quote } | null;
  choice: string;
  order: Order | null;
  /** The chosen coupon's name, kept at payment: a used-up coupon leaves the usable list. */
  paidWith: string | null;
}

type CheckoutAction =
  /** A change to the order's terms (any change makes the shown quote stale). */
  | { type: 'terms'; patch: Partial<Pick<CheckoutState, 'currency' | 'scenario' | 'promotional' | 'paidOnBehalf'>> }
  | { type: 'edit-item'; key: number; patch: Partial<ItemDraft> }
  | { type: 'add-item' }
  | { type: 'remove-item'; key: number }
  | { type: 'invalid'; errors: Map<number, ItemErrors> }
  | { type: 'quoting' }
  | { type: 'quoted'; body: CheckoutBody; quote: Quote }
  | { type: 'choose'; choice: string }
  | { type: 'paying'; paidWith: string | null }
  | { type: 'paid'; order: Order }
  | { type: 'start-over' };

const blankItem = (key: number): ItemDraft => ({ key, productCode: '', amount: '', months: '1' });

const INITIAL: CheckoutState = {
  currency: 'USD', scenario: 'purchase', items: [blankItem(1)], nextKey: 2, promotional: false, paidOnBehalf: false,
  errors: new Map(), quoted: null, choice: 'best', order: null, paidWith: null,
};

function checkout(s: CheckoutState, a: CheckoutAction): CheckoutState {
  switch (a.type) {
    case 'terms':
      return { ...s, ...a.patch, quoted: null };
    case 'edit-item': {
      const errors = new Map(s.errors);
      errors.delete(a.key);
      return { ...s, quoted: null, items: s.items.map((x) => (x.key === a.key ? { ...x, ...a.patch } : x)), errors: s.errors.has(a.key) ? errors : s.errors };
    }
    case 'add-item':
      return { ...s, quoted: null, items: [...s.items, blankItem(s.nextKey)], nextKey: s.nextKey + 1 };
    case 'remove-item':
      return { ...s, quoted: null, items: s.items.filter((x) => x.key !== a.key) };
    case 'invalid':
      return { ...s, errors: a.errors };
    case 'quoting':
      return { ...s, errors: new Map(), order: null };
    case 'quoted':
      return { ...s, choice: 'best', quoted: { body: a.body, quote: a.quote } };
    case 'choose':
      return { ...s, choice: a.choice };
    case 'paying':
      return { ...s, paidWith: a.paidWith };
    case 'paid':
      return { ...s, order: a.order, quoted: null };
    case 'start-over':
      return { ...s, order: null, quoted: null, items: [blankItem(s.nextKey)], nextKey: s.nextKey + 1 };
  }
}

/**
 * Checkout (R15-R22): the order's items -> a quote listing every applicable coupon in the API's
 * priority with what it deducts -> the person picks one, "Best" or none -> pays. The payment carries
 * an Idempotency-Key made once per submission and reused when the same submission is sent again (a
 * double click, a retry after a network error), so it never pays twice.
 */
export function CheckoutPage() {
  const products = useProducts();
  const usable = useUsableCoupons();
  const quote = useQuote();
  const pay = usePay();
  const ids = { currency: useId(), scenario: useId(), promotional: useId(), onBehalf: useId(), choice: useId() };
  const [state, dispatch] = useReducer(checkout, INITIAL);
  const { currency, scenario, items, promotional, paidOnBehalf, errors, quoted, choice, order, paidWith } = state;
  /** The submission in flight or last failed, with its key: the same submission reuses the key. */
  const attempt = useRef<{ signature: string; key: string } | null>(null);
  const paying = useRef(false);
  const quoteHeading = useRef<HTMLHeadingElement>(null);
  const orderHeading = useRef<HTMLHeadingElement>(null);
  const names = useMemo(() => new Map((products.data ?? []).map((p) => [p.code, p.name])), [products.data]);

  useEffect(() => {
    if (quoted) quoteHeading.current?.focus();
  }, [quoted]);
  useEffect(() => {
    if (order) orderHeading.current?.focus();
  }, [order]);

  /** Any change to the order makes the quote stale (the reducer drops it) and ends its answers. */
  const change = (action: CheckoutAction) => {
    dispatch(action);
    quote.reset();
    pay.reset();
  };
  const setChoice = (c: string) => dispatch({ type: 'choose', choice: c });

  const getQuote = (e: FormEvent) => {
    e.preventDefault();
    const r = toBody({ currency, scenario, items, promotional, paidOnBehalf });
    if (r.errors) {
      dispatch({ type: 'invalid', errors: r.errors });
      const first = items.find((i) => r.errors.has(i.key));
      const field = first && r.errors.get(first.key);
      const which = field?.productCode ? 'product' : field?.amount ? 'amount' : 'months';
      if (first) document.getElementById(`checkout-${which}-${first.key}`)?.focus();
      return;
    }
    dispatch({ type: 'quoting' });
    pay.reset();
    quote.mutate(r.body, { onSuccess: (q) => dispatch({ type: 'quoted', body: r.body, quote: q }) });
  };

  const doPay = () => {
    if (!quoted || paying.current) return;
    const signature = JSON.stringify({ body: quoted.body, coupon: choice });
    if (attempt.current?.signature !== signature) attempt.current = { signature, key: crypto.randomUUID() };
    paying.current = true;
    const picked = choice === 'best' ? quoted.quote.applicable[0]?.couponId : choice === 'none' ? undefined : choice;
    const pickedCoupon = picked ? usable.data?.get(picked) : undefined;
    dispatch({ type: 'paying', paidWith: pickedCoupon ? couponName(pickedCoupon) : null });
    pay.mutate(
      { body: quoted.body, coupon: choice, key: attempt.current.key },
      {
        onSuccess: (o) => {
          attempt.current = null;
          dispatch({ type: 'paid', order: o });
        },
        onSettled: () => {
          paying.current = false;
        },
      },
    );
  };

  const startOver = () => {
    dispatch({ type: 'start-over' });
    quote.reset();
    pay.reset();
  };

  if (products.isPending) return <Page title="Checkout"><Loading label="Loading the product catalog…" /></Page>;
  if (products.isError) return <Page title="Checkout"><ErrorMessage error={products.error} title="The product catalog could not be loaded" /></Page>;

  return (
    <Page title="Checkout" description="Build a prepaid order, see which coupons apply and what each deducts, then pay.">
      {order ? (
        <OrderResult order={order} headingRef={orderHeading} couponLabel={paidWith} onNew={startOver} />
      ) : (
        <>
          <form className="form checkout-form" onSubmit={getQuote} noValidate aria-label="Order">
            <div className="checkout-row">
              <Field id={ids.currency} label="Currency">
                {(aria) => (
                  <select {...aria} value={currency} onChange={(e) => change({ type: 'terms', patch: { currency: e.target.value } })}>
                    {CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
                  </select>
                )}
              </Field>
              <Field id={ids.scenario} label="Transaction type">
                {(aria) => (
                  <select {...aria} value={scenario} onChange={(e) => change({ type: 'terms', patch: { scenario: e.target.value as Scenario } })}>
                    {SCENARIOS.map((s) => <option key={s} value={s}>{SCENARIO_LABEL[s]}</option>)}
                  </select>
                )}
              </Field>
            </div>
            <fieldset className="checkout-items">
              <legend>Items</legend>
              {items.map((it, i) => (
                <ItemFields
                  key={it.key}
                  index={i}
                  item={it}
                  currency={currency}
                  products={products.data}
                  errors={errors.get(it.key)}
                  onChange={(patch) => change({ type: 'edit-item', key: it.key, patch })}
                  onRemove={items.length > 1 ? () => change({ type: 'remove-item', key: it.key }) : undefined}
                />
              ))}
              <button
                type="button"
                className="button button-secondary"
                disabled={items.length >= 50}
                onClick={() => change({ type: 'add-item' })}
              >
                Add item
              </button>
            </fieldset>
            <div className="field-inline">
              <input id={ids.promotional} type="checkbox" checked={promotional} onChange={(e) => change({ type: 'terms', patch: { promotional: e.target.checked } })} />
              <label htmlFor={ids.promotional}>From a promotional campaign</label>
            </div>
            <div className="field-inline">
              <input id={ids.onBehalf} type="checkbox" checked={paidOnBehalf} onChange={(e) => change({ type: 'terms', patch: { paidOnBehalf: e.target.checked } })} />
              <label htmlFor={ids.onBehalf}>Paid by a reseller on behalf of its customer</label>
            </div>
            {quote.isError ? <ErrorMessage error={quote.error} title="No quote" /> : null}
            <button type="submit" className="button button-primary checkout-quote" disabled={quote.isPending}>
              {quote.isPending ? 'Getting a quote…' : 'Get quote'}
            </button>
          </form>

          {quoted ? (
            <section className="checkout-quote-result" aria-labelledby={`${ids.choice}-heading`}>
              <h2 id={`${ids.choice}-heading`} ref={quoteHeading} tabIndex={-1}>
                Quote: <Money minor={quoted.quote.total} currency={quoted.quote.currency} /> in total
              </h2>
              {quoted.quote.applicable.length === 0 ? (
                <p>No coupon applies to this order: it is paid in cash.</p>
              ) : (
                <p>
                  {quoted.quote.applicable.length} coupon{quoted.quote.applicable.length === 1 ? ' applies' : 's apply'}, best first (largest balance, then
                  earliest expiry). One coupon per order.
                </p>
              )}
              <fieldset className="checkout-choice">
                <legend>Pay with</legend>
                <ChoiceOption
                  name={ids.choice}
                  value="best"
                  checked={choice === 'best'}
                  onSelect={setChoice}
                  label="Best coupon"
                  detail={
                    quoted.quote.applicable[0]
                      ? <>the first below: deducts <Money minor={quoted.quote.applicable[0].deduction} currency={quoted.quote.currency} />, you pay <Money minor={quoted.quote.applicable[0].cash} currency={quoted.quote.currency} /> in cash</>
                      : <>no coupon applies: you pay <Money minor={quoted.quote.total} currency={quoted.quote.currency} /> in cash</>
                  }
                />
                {quoted.quote.applicable.map((q) => {
                  const c = usable.data?.get(q.couponId);
                  return (
                    <ChoiceOption
                      key={q.couponId}
                      name={ids.choice}
                      value={q.couponId}
                      checked={choice === q.couponId}
                      onSelect={setChoice}
                      label={c ? couponName(c) : `Coupon ${q.couponId.slice(0, 8)}`}
                      detail={
                        <>
                          deducts <Money minor={q.deduction} currency={quoted.quote.currency} />, you pay <Money minor={q.cash} currency={quoted.quote.currency} /> in
                          cash · balance <Money minor={q.balance} currency={quoted.quote.currency} /> · {q.usage === 'one_time' ? 'one time' : 'reusable'} · until{' '}
                          {formatDateTime(q.validUntil)} · {productsText(q.productCodes, names)}
                        </>
                      }
                    />
                  );
                })}
                <ChoiceOption
                  name={ids.choice}
                  value="none"
                  checked={choice === 'none'}
                  onSelect={setChoice}
                  label="No coupon"
                  detail={<>you pay <Money minor={quoted.quote.total} currency={quoted.quote.currency} /> in cash</>}
                />
              </fieldset>
              {pay.isError ? (
                <>
                  <ErrorMessage error={pay.error} title="The payment was not made" />
                  {pay.error instanceof ApiError && pay.error.status === 409 ? <p>The coupons may have changed: get a new quote before paying.</p> : null}
                  {pay.error instanceof ApiError && pay.error.status === 0 ? <p>Paying again sends the same payment: it is never charged twice.</p> : null}
                </>
              ) : null}
              <button type="button" className="button button-primary checkout-pay" disabled={pay.isPending} aria-disabled={pay.isPending} onClick={doPay}>
                {pay.isPending ? 'Paying…' : `Pay ${payAmount(quoted.quote, choice)}`}
              </button>
            </section>
          ) : null}
        </>
      )}
    </Page>
  );
}

/** What the chosen option leaves to pay in cash. */
function payAmount(q: Quote, choice: string): string {
  const picked = choice === 'best' ? q.applicable[0] : q.applicable.find((a) => a.couponId === choice);
  return formatMoney(choice === 'none' || !picked ? q.total : picked.cash, q.currency);
}

function ChoiceOption({ name, value, checked, onSelect, label, detail }: {
  name: string;
  value: string;
  checked: boolean;
  onSelect: (v: string) => void;
  label: string;
  detail: React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="checkout-option">
      <input type="radio" id={id} name={name} value={value} checked={checked} onChange={() => onSelect(value)} aria-describedby={`${id}-detail`} />
      <label htmlFor={id}>{label}</label>
      <span id={`${id}-detail`} className="hint"> — {detail}</span>
    </div>
  );
}

function ItemFields({ index, item, currency, products, errors, onChange, onRemove }: {
  index: number;
  item: ItemDraft;
  currency: string;
  products: Product[];
  errors?: ItemErrors;
  onChange: (patch: Partial<ItemDraft>) => void;
  onRemove?: () => void;
}) {
  const id = (f: string) => `checkout-${f}-${item.key}`;
  const n = index + 1;
  return (
    <div className="checkout-item" role="group" aria-label={`Item ${n}`}>
      <Field id={id('product')} label={`Product (item ${n})`} error={errors?.productCode}>
        {(aria) => (
          <select {...aria} value={item.productCode} onChange={(e) => onChange({ productCode: e.target.value })}>
            <option value="">Choose a product</option>
            {products.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
          </select>
        )}
      </Field>
      <Field id={id('amount')} label={`Amount in ${currency} (item ${n})`} error={errors?.amount}>
        {(aria) => <input {...aria} inputMode="decimal" autoComplete="off" value={item.amount} onChange={(e) => onChange({ amount: e.target.value })} />}
      </Field>
      <Field id={id('months')} label={`Duration in months (item ${n})`} error={errors?.months}>
        {(aria) => <input {...aria} inputMode="numeric" autoComplete="off" value={item.months} onChange={(e) => onChange({ months: e.target.value })} />}
      </Field>
      {onRemove ? (
        <button type="button" className="button button-secondary" onClick={onRemove}>
          Remove item {n}
        </button>
      ) : null}
    </div>
  );
}

function OrderResult({ order, headingRef, couponLabel, onNew }: {
  order: Order;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  couponLabel: string | null;
  onNew: () => void;
}) {
  return (
    <section className="checkout-paid notice" aria-labelledby="checkout-paid-heading" data-order-id={order.id}>
      <h2 id="checkout-paid-heading" ref={headingRef} tabIndex={-1}>Order paid</h2>
      <dl className="facts">
        <div><dt>Order</dt><dd><Link to={`/billing/orders/${order.id}`}>Order {order.id.slice(0, 8)}</Link></dd></div>
        <div><dt>Total</dt><dd><Money minor={order.total} currency={order.currency} /></dd></div>
        <div><dt>Coupon deduction</dt><dd><Money minor={order.couponDeduction} currency={order.currency} /></dd></div>
        <div><dt>Paid in cash</dt><dd><Money minor={order.cash} currency={order.currency} /></dd></div>
        <div><dt>Coupon</dt><dd>{order.couponId ? <Link to={`/billing/coupons/${order.couponId}`}>{couponLabel ?? `Coupon ${order.couponId.slice(0, 8)}`}</Link> : 'none'}</dd></div>
      </dl>
      <p>
        <button type="button" className="button button-secondary" onClick={onNew}>New order</button>
      </p>
    </section>
  );
}
