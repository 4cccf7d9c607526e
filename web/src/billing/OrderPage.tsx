import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { Table } from '../components/Table';
import { Field } from '../components/Field';
import { useOrder, useProducts, useRefund, useRefundQuote, useRequestRefund } from './billing-api';
import type { Order, RefundTerms } from '../api-types';
import { SCENARIO_LABEL } from './coupon-text';
import { ORDER_STATUS } from './OrdersPage';

const REFUSAL: Record<string, string> = {
  already_refunded: 'This order has already been refunded.',
  product_not_refundable: 'A product of this order cannot be refunded.',
  resource_in_grace_period: 'The resource is in its grace period: it cannot be refunded.',
  resource_in_retention_period: 'The resource is in its retention period: it cannot be refunded.',
};

/** One order: its items, deduction and cash, and its refund (R27-R30): quote, then confirm. */
export function OrderPage() {
  const { orderId = '' } = useParams();
  const order = useOrder(orderId);
  const products = useProducts();
  const names = useMemo(() => new Map((products.data ?? []).map((p) => [p.code, p.name])), [products.data]);
  const o = order.data;
  if (order.isPending) return <Page title="Order"><Loading label="Loading the order…" /></Page>;
  if (!o) {
    return (
      <Page title="Order">
        <ErrorMessage error={order.error} title="The order could not be loaded" />
        <p><Link to="/billing/orders">Back to the orders</Link></p>
      </Page>
    );
  }
  return (
    <Page title={`Order ${o.id.slice(0, 8)}`}>
      <p><Link to="/billing/orders">Back to the orders</Link></p>
      <dl className="facts">
        <div><dt>Status</dt><dd><span className={`badge order-status-${o.status}`}>{ORDER_STATUS[o.status]}</span></dd></div>
        <div><dt>Placed</dt><dd><DateTime iso={o.createdAt} /></dd></div>
        <div><dt>Type</dt><dd>{SCENARIO_LABEL[o.scenario] ?? o.scenario}</dd></div>
        <div><dt>Total</dt><dd><Money minor={o.total} currency={o.currency} /></dd></div>
        <div><dt>Coupon deduction</dt><dd><Money minor={o.couponDeduction} currency={o.currency} /></dd></div>
        <div><dt>Paid in cash</dt><dd><Money minor={o.cash} currency={o.currency} /></dd></div>
        <div><dt>Coupon</dt><dd>{o.couponId ? <Link to={`/billing/coupons/${o.couponId}`}>Coupon {o.couponId.slice(0, 8)}</Link> : 'none'}</dd></div>
      </dl>
      <Table
        caption="Items"
        rows={(o.items ?? []).map((it, i) => ({ ...it, line: i + 1 }))}
        rowKey={(it) => String(it.line)}
        columns={[
          { header: 'Product', cell: (it) => names.get(it.productCode) ?? it.productCode },
          { header: 'Months', align: 'right', cell: (it) => (it.durationMonths === null ? '—' : String(it.durationMonths)) },
          { header: 'Amount', align: 'right', cell: (it) => <Money minor={it.amount} currency={o.currency} /> },
        ]}
      />
      <RefundSection order={o} />
    </Page>
  );
}

function RefundSection({ order }: { order: Order }) {
  const refunded = order.status === 'refunded';
  const refund = useRefund(order.id, refunded);
  const [asking, setAsking] = useState(false);
  const quote = useRefundQuote(order.id, asking && !refunded);
  const request = useRequestRefund();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (asking || refunded) heading.current?.focus();
  }, [asking, refunded]);

  if (refunded) {
    return (
      <section aria-labelledby="refund-heading" className="refund-section">
        <h2 id="refund-heading" ref={heading} tabIndex={-1}>Refund</h2>
        {refund.isPending ? <Loading label="Loading the refund…" /> : null}
        {refund.isError ? <ErrorMessage error={refund.error} /> : null}
        {refund.data ? (
          <>
            <p className="notice">
              Refunded <DateTime iso={refund.data.createdAt} /> ({refund.data.rule === 'five_day_full' ? 'five-day full refund' : 'partial refund'}).
            </p>
            <Terms terms={refund.data.terms} currency={refund.data.currency} />
            <Explanation lines={refund.data.explanation} />
          </>
        ) : null}
      </section>
    );
  }
  return (
    <section aria-labelledby="refund-heading" className="refund-section">
      <h2 id="refund-heading" ref={heading} tabIndex={-1}>Refund</h2>
      {!asking ? (
        <button type="button" className="button button-secondary" onClick={() => setAsking(true)}>
          Request refund
        </button>
      ) : (
        <>
          {quote.isPending ? <Loading label="Working out the refund…" /> : null}
          {quote.isError ? <ErrorMessage error={quote.error} title="The refund could not be quoted" /> : null}
          {quote.data && !quote.data.refundable ? (
            <>
              <p role="alert">{REFUSAL[quote.data.refusal ?? ''] ?? `This order cannot be refunded (${quote.data.refusal ?? 'no reason given'}).`}</p>
              <Explanation lines={quote.data.explanation} />
              <button type="button" className="button button-secondary" onClick={() => setAsking(false)}>Close</button>
            </>
          ) : null}
          {quote.data?.refundable && quote.data.terms ? (
            <>
              <p>
                {quote.data.rule === 'five_day_full'
                  ? <>Five-day full refund: all the cash comes back, and the coupon deduction returns to the coupon. The window ends <DateTime iso={quote.data.fiveDay.windowEndsAt} /> ({quote.data.fiveDay.refundsThisYear} of {quote.data.fiveDay.limitPerYear} such refunds used in {quote.data.fiveDay.year}).</>
                  : <>Partial refund: the cash paid, less a handling fee and what the time used costs.</>}
              </p>
              <Terms terms={quote.data.terms} currency={quote.data.currency} />
              <Explanation lines={quote.data.explanation} />
              <Field id={reasonId} label="Reason (optional)">
                {(aria) => <input {...aria} value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />}
              </Field>
              {request.isError ? <ErrorMessage error={request.error} title="The refund was not made" /> : null}
              <div className="dialog-actions">
                <button
                  type="button"
                  className="button button-danger"
                  disabled={request.isPending}
                  onClick={() => request.mutate({ id: order.id, reason: reason.trim() || undefined })}
                >
                  {request.isPending ? 'Refunding…' : 'Confirm refund'}
                </button>
                <button type="button" className="button button-secondary" disabled={request.isPending} onClick={() => setAsking(false)}>
                  Cancel
                </button>
              </div>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

function Terms({ terms, currency }: { terms: RefundTerms; currency: string }) {
  return (
    <dl className="facts refund-terms">
      <div><dt>Cash paid</dt><dd><Money minor={terms.cashPaid} currency={currency} /></dd></div>
      <div><dt>Handling fee</dt><dd><Money minor={terms.handlingFee.amount} currency={currency} /> ({terms.handlingFee.rate}{terms.handlingFee.band ? `, ${terms.handlingFee.band}` : ''})</dd></div>
      <div><dt>Cost of the time used</dt><dd><Money minor={terms.amountDue} currency={currency} /></dd></div>
      <div><dt>Refunded in cash</dt><dd><Money minor={terms.refund} currency={currency} /></dd></div>
      <div><dt>Returned to the coupon</dt><dd><Money minor={terms.couponReturn} currency={currency} /></dd></div>
    </dl>
  );
}

function Explanation({ lines }: { lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <details className="refund-explanation">
      <summary>How this was worked out</summary>
      <ul>{lines.map((l, i) => <li key={i}>{l}</li>)}</ul>
    </details>
  );
}
