import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { Table } from '../components/Table';
import { ShowMore } from '../components/ShowMore';
import { Field } from '../components/Field';
import { useProducts, useWallet, type WalletFilters } from './billing-api';
import type { Coupon, CouponStatus } from '../api-types';
import { COUPON_STATUSES, couponName, couponRules, STATUS_LABEL, validityText } from './coupon-text';
import { CouponStatusBadge, RevokedReason } from './CouponStatusBadge';

/** A date typed in the filter (local day) -> the instant its day starts: "expiring before that day". */
function startOfLocalDay(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const d = new Date(`${date}T00:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The wallet (R13, R14): the account's coupons with status, balance, validity and what they cover. */
export function WalletPage() {
  const [status, setStatus] = useState<CouponStatus | ''>('');
  const [product, setProduct] = useState('');
  const [before, setBefore] = useState('');
  const ids = { status: useId(), product: useId(), before: useId() };
  const filters: WalletFilters = { status: status || undefined, product: product || undefined, expiresBefore: startOfLocalDay(before) };
  const filtered = Boolean(filters.status || filters.product || filters.expiresBefore);
  const wallet = useWallet(filters);
  const products = useProducts();
  const names = useMemo(() => new Map((products.data ?? []).map((p) => [p.code, p.name])), [products.data]);
  const coupons = wallet.data?.items ?? [];

  return (
    <Page title="Coupon wallet" description="Your account's coupons: what is left on each, until when, and what it pays for.">
      <form className="filters billing-filters" role="search" aria-label="Filter coupons" onSubmit={(e) => e.preventDefault()} noValidate>
        <Field id={ids.status} label="Status">
          {(aria) => (
            <select {...aria} value={status} onChange={(e) => setStatus(e.target.value as CouponStatus | '')}>
              <option value="">All statuses</option>
              {COUPON_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={ids.product} label="Can pay for product">
          {(aria) => (
            <select {...aria} value={product} onChange={(e) => setProduct(e.target.value)}>
              <option value="">Any product</option>
              {(products.data ?? []).map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={ids.before} label="Expiring before">
          {(aria) => <input {...aria} type="date" value={before} onChange={(e) => setBefore(e.target.value)} />}
        </Field>
        {filtered ? (
          <button type="button" className="button button-secondary" onClick={() => { setStatus(''); setProduct(''); setBefore(''); }}>
            Clear filters
          </button>
        ) : null}
      </form>
      {wallet.isPending ? <Loading label="Loading your coupons…" /> : null}
      {wallet.isError ? <ErrorMessage error={wallet.error} title="The wallet could not be loaded" /> : null}
      {wallet.isSuccess ? (
        <Table<Coupon>
          caption={filtered ? 'Coupons matching the filters' : 'Your coupons'}
          rows={coupons}
          rowKey={(c) => c.id}
          empty={filtered ? <EmptyState title="No coupons match these filters" /> : <EmptyState title="No coupons yet" />}
          columns={[
            { header: 'Coupon', cell: (c) => <Link to={`/billing/coupons/${c.id}`}>{couponName(c)}</Link> },
            { header: 'Status', cell: (c) => <><CouponStatusBadge status={c.status} /> <RevokedReason reason={c.revokedReason} /></> },
            {
              header: 'Balance',
              align: 'right',
              cell: (c) => (
                <span className="coupon-balance">
                  <Money minor={c.balance} currency={c.currency} /> <span className="hint">of <Money minor={c.faceValue} currency={c.currency} /></span>
                </span>
              ),
            },
            { header: 'Valid', cell: (c) => validityText(c) },
            {
              header: 'Terms',
              cell: (c) => (
                <ul className="coupon-terms">
                  {couponRules(c, names).map(([k, v]) => (
                    <li key={k}>
                      <span className="coupon-term-label">{k}:</span> {v}
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      ) : null}
      <ShowMore list={wallet} label="Show more coupons" />
    </Page>
  );
}
