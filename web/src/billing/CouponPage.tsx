import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { Table } from '../components/Table';
import { ShowMore } from '../components/ShowMore';
import { seg } from '../api';
import { useCoupon, useLedger, useProducts } from './billing-api';
import type { LedgerEntry } from '../api-types';
import { couponName, couponRules, LEDGER_TYPE, validityText } from './coupon-text';
import { CouponStatusBadge, RevokedReason } from './CouponStatusBadge';

/** One coupon, its rules, and its ledger (R25): every change of the balance, with the CSV download. */
export function CouponPage() {
  const { couponId = '' } = useParams();
  const coupon = useCoupon(couponId);
  const ledger = useLedger(couponId);
  const products = useProducts();
  const names = useMemo(() => new Map((products.data ?? []).map((p) => [p.code, p.name])), [products.data]);
  const c = coupon.data;
  const entries = ledger.data?.items ?? [];

  if (coupon.isPending) return <Page title="Coupon"><Loading label="Loading the coupon…" /></Page>;
  if (!c) {
    return (
      <Page title="Coupon">
        <ErrorMessage error={coupon.error} title="The coupon could not be loaded" />
        <p><Link to="/billing/wallet">Back to the wallet</Link></p>
      </Page>
    );
  }
  return (
    <Page title={`Coupon: ${couponName(c)}`}>
      <p><Link to="/billing/wallet">Back to the wallet</Link></p>
      <dl className="facts coupon-facts">
        <div><dt>Status</dt><dd><CouponStatusBadge status={c.status} /> <RevokedReason reason={c.revokedReason} /></dd></div>
        {c.revokedAt ? <div><dt>Revoked</dt><dd><DateTime iso={c.revokedAt} /></dd></div> : null}
        <div><dt>Balance</dt><dd><Money minor={c.balance} currency={c.currency} /> of <Money minor={c.faceValue} currency={c.currency} /></dd></div>
        <div><dt>Valid</dt><dd>{validityText(c)}</dd></div>
        <div><dt>Issued</dt><dd><DateTime iso={c.issuedAt} /></dd></div>
        {couponRules(c, names).map(([k, v]) => (
          <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
        ))}
        <div><dt>Coupon id</dt><dd><code>{c.id}</code></dd></div>
      </dl>

      <section aria-labelledby="ledger-heading">
        <h2 id="ledger-heading">Ledger</h2>
        <p>
          <a className="button button-secondary" href={`/v1/coupons/${seg(c.id)}/ledger.csv`} download={`coupon-${c.id}-ledger.csv`}>
            Download the ledger (CSV)
          </a>
        </p>
        {ledger.isPending ? <Loading label="Loading the ledger…" /> : null}
        {ledger.isError ? <ErrorMessage error={ledger.error} title="The ledger could not be loaded" /> : null}
        {ledger.isSuccess ? (
          <Table<LedgerEntry>
            caption="Every change of the balance, oldest first"
            rows={entries}
            rowKey={(e) => e.id}
            empty={<EmptyState title="No ledger entries yet" />}
            columns={[
              { header: 'Time', cell: (e) => <DateTime iso={e.at} /> },
              { header: 'Type', cell: (e) => LEDGER_TYPE[e.type] ?? e.type },
              { header: 'Amount', align: 'right', cell: (e) => <SignedMoney minor={e.amount} currency={c.currency} /> },
              { header: 'Balance after', align: 'right', cell: (e) => <Money minor={e.balanceAfter} currency={c.currency} /> },
              {
                header: 'For',
                cell: (e) =>
                  e.orderId ? (
                    <Link to={`/billing/orders/${e.orderId}`}>Order {e.orderId.slice(0, 8)}</Link>
                  ) : e.billId ? (
                    <span>Bill {e.billId.slice(0, 8)}</span>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        ) : null}
        <ShowMore list={ledger} label="Show more entries" />
      </section>
    </Page>
  );
}

/** A signed ledger amount: "+$50.00" adds to the balance, "−$20.00" takes from it. */
function SignedMoney({ minor, currency }: { minor: string; currency: string }) {
  const negative = minor.startsWith('-');
  return (
    <span className={negative ? 'ledger-minus' : 'ledger-plus'}>
      {negative ? '−' : '+'}
      <Money minor={negative ? minor.slice(1) : minor} currency={currency} />
    </span>
  );
}
