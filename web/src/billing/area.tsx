import { Navigate } from 'react-router';
import type { AreaModule } from '../areas';
import { WalletPage } from './WalletPage';
import { CouponPage } from './CouponPage';
import { CheckoutPage } from './CheckoutPage';
import { OrdersPage } from './OrdersPage';
import { OrderPage } from './OrderPage';
import { StatementPage } from './StatementPage';

// Subaccount billing (account_owner, account_finance; account_member has no billing view, R3): the
// coupon wallet and each coupon's ledger, checkout with coupons, orders and refunds, statements.
export const billingArea: AreaModule = {
  area: 'billing',
  basePath: '/billing',
  title: 'Billing',
  nav: [
    { to: '/billing/wallet', label: 'Coupon wallet' },
    { to: '/billing/checkout', label: 'Checkout' },
    { to: '/billing/orders', label: 'Orders' },
    { to: '/billing/statements', label: 'Statements' },
  ],
  routes: [
    // The wallet has its own path so its nav link is not marked current on every billing page.
    { index: true, element: <Navigate to="wallet" replace /> },
    { path: 'wallet', element: <WalletPage /> },
    { path: 'coupons/:couponId', element: <CouponPage /> },
    { path: 'checkout', element: <CheckoutPage /> },
    { path: 'orders', element: <OrdersPage /> },
    { path: 'orders/:orderId', element: <OrderPage /> },
    { path: 'statements', element: <StatementPage /> },
  ],
};
