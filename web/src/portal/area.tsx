import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import type { AreaModule } from '../areas';
import { Page } from '../components/Page';
import { useMe } from '../session';
import { AccountsPage } from './AccountsPage';
import { TemplatesPage } from './TemplatesPage';
import { NewTemplatePage } from './NewTemplatePage';
import { IssuePage } from './IssuePage';
import { RequestsPage } from './RequestsPage';
import { RequestDetailPage } from './RequestDetailPage';
import { BudgetsPage } from './BudgetsPage';
import { BudgetPage } from './BudgetPage';
import { PortalCouponPage } from './CouponPage';
import { Loading } from '../components/Loading';
import { SettlementPage } from './SettlementPage';
import { SettlementMonthPage } from './SettlementMonthPage';
import { ResellersPage } from './ResellersPage';

// The usage page carries the chart library (recharts): loaded only when the page is opened.
const UsagePage = lazy(() => import('./UsagePage').then((m) => ({ default: m.UsagePage })));

// The distributor portal (partner_admin, partner_operator, partner_viewer; tier-1 distributors and
// tier-2 resellers). What a role may do is the API's decision (CASL): the pages show its refusals.
function PortalHome() {
  const { user, scope } = useMe();
  return (
    <Page title="Partner portal">
      <p>Welcome, {user.name}{scope.partnerTier === 2 ? ' (reseller)' : scope.partnerTier === 1 ? ' (distributor)' : ''}.</p>
      <ul className="portal-links">
        <li><Link to="/portal/issue">Issue coupons</Link> to your subaccounts</li>
        <li><Link to="/portal/requests">Requests</Link>: status and progress</li>
        <li><Link to="/portal/templates">Templates</Link>, or <Link to="/portal/templates/new">create one</Link></li>
        <li><Link to="/portal/accounts">Subaccounts</Link></li>
        <li><Link to="/portal/budgets">Budgets</Link>: what is left to issue{scope.partnerTier === 1 ? ', allocations to your resellers' : ''}</li>
        <li><Link to="/portal/usage">Usage</Link>: coupon deductions per month, CSV reports</li>
        <li><Link to="/portal/settlement">Settlement</Link>: what your coupons cost you each month</li>
        {scope.partnerTier === 1 ? <li><Link to="/portal/resellers">Resellers</Link>: your resellers' coupons and what each owes you</li> : null}
      </ul>
    </Page>
  );
}

export const portalArea: AreaModule = {
  area: 'portal',
  basePath: '/portal',
  title: 'Partner portal',
  nav: [
    { to: '/portal/issue', label: 'Issue' },
    { to: '/portal/requests', label: 'Requests' },
    { to: '/portal/templates', label: 'Templates' },
    { to: '/portal/accounts', label: 'Subaccounts' },
    { to: '/portal/budgets', label: 'Budgets' },
    { to: '/portal/usage', label: 'Usage' },
    { to: '/portal/settlement', label: 'Settlement' },
    { to: '/portal/resellers', label: 'Resellers', shownTo: (scope) => scope.partnerTier === 1 },
  ],
  routes: [
    { index: true, element: <PortalHome /> },
    { path: 'issue', element: <IssuePage /> },
    { path: 'requests', element: <RequestsPage /> },
    { path: 'requests/:id', element: <RequestDetailPage /> },
    { path: 'coupons/:id', element: <PortalCouponPage /> },
    { path: 'templates', element: <TemplatesPage /> },
    { path: 'templates/new', element: <NewTemplatePage /> },
    { path: 'accounts', element: <AccountsPage /> },
    { path: 'budgets', element: <BudgetsPage /> },
    { path: 'budgets/:budgetId', element: <BudgetPage /> },
    { path: 'settlement', element: <SettlementPage /> },
    { path: 'settlement/:month', element: <SettlementMonthPage /> },
    { path: 'resellers', element: <ResellersPage /> },
    { path: 'usage', element: <Suspense fallback={<Loading label="Loading the usage page…" />}><UsagePage /></Suspense> },
  ],
};
