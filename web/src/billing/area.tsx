import type { AreaModule } from '../areas';
import { Page } from '../components/Page';
import { useMe } from '../session';

// Subaccount billing (account_owner, account_finance). A placeholder start page: its pages (wallet,
// coupon ledgers, orders, bills, refunds) are added here as routes and nav links (see web/README.md).
function BillingHome() {
  const { user } = useMe();
  return (
    <Page title="Billing">
      <p>Welcome, {user.name}. Your account's coupons, bills and refunds will be shown here.</p>
    </Page>
  );
}

export const billingArea: AreaModule = {
  area: 'billing',
  basePath: '/billing',
  title: 'Billing',
  nav: [{ to: '/billing', label: 'Overview' }],
  routes: [{ index: true, element: <BillingHome /> }],
};
