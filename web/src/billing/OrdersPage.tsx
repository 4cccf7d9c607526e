import { Link } from 'react-router';
import { Page } from '../components/Page';
import { Loading } from '../components/Loading';
import { EmptyState } from '../components/EmptyState';
import { ErrorMessage } from '../components/ErrorMessage';
import { Money } from '../components/Money';
import { DateTime } from '../components/DateTime';
import { Table } from '../components/Table';
import { ShowMore } from '../components/ShowMore';
import { useOrders } from './billing-api';
import type { Order } from '../api-types';
import { SCENARIO_LABEL } from './coupon-text';

export const ORDER_STATUS: Record<Order['status'], string> = { paid: 'Paid', refunded: 'Refunded' };

/** The account's prepaid orders, newest first; each opens its detail (and its refund, R27-R30). */
export function OrdersPage() {
  const orders = useOrders();
  const rows = orders.data?.items ?? [];
  return (
    <Page title="Orders" description={<>Your prepaid orders. <Link to="/billing/checkout">Place an order</Link>.</>}>
      {orders.isPending ? <Loading label="Loading your orders…" /> : null}
      {orders.isError ? <ErrorMessage error={orders.error} title="The orders could not be loaded" /> : null}
      {orders.isSuccess ? (
        <Table<Order>
          caption="Your orders, newest first"
          rows={rows}
          rowKey={(o) => o.id}
          empty={<EmptyState title="No orders yet"><Link to="/billing/checkout">Place an order</Link></EmptyState>}
          columns={[
            { header: 'Order', cell: (o) => <Link to={`/billing/orders/${o.id}`}>Order {o.id.slice(0, 8)}</Link> },
            { header: 'Placed', cell: (o) => <DateTime iso={o.createdAt} /> },
            { header: 'Type', cell: (o) => SCENARIO_LABEL[o.scenario] ?? o.scenario },
            { header: 'Total', align: 'right', cell: (o) => <Money minor={o.total} currency={o.currency} /> },
            { header: 'Coupon deduction', align: 'right', cell: (o) => <Money minor={o.couponDeduction} currency={o.currency} /> },
            { header: 'Cash', align: 'right', cell: (o) => <Money minor={o.cash} currency={o.currency} /> },
            { header: 'Status', cell: (o) => <span className={`badge order-status-${o.status}`}>{ORDER_STATUS[o.status]}</span> },
          ]}
        />
      ) : null}
      <ShowMore list={orders} label="Show more orders" />
    </Page>
  );
}
