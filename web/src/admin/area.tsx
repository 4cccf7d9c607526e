import { Navigate } from 'react-router';
import type { AreaModule } from '../areas';
import { ExpensePage } from './ExpensePage';
import { MonthsPage } from './MonthsPage';

// The platform admin's view (role platform_admin): the vendor's side of the books. It starts with
// the promotion expense and the settlement months (R37); partners, products, billing cycles and
// the rest the admin does through the API today can join it as pages of their own.
export const adminArea: AreaModule = {
  area: 'admin',
  basePath: '/admin',
  title: 'Platform admin',
  nav: [
    { to: '/admin/promotion-expense', label: 'Promotion expense' },
    { to: '/admin/settlement-months', label: 'Settlement months' },
  ],
  routes: [
    { index: true, element: <Navigate to="promotion-expense" replace /> },
    { path: 'promotion-expense', element: <ExpensePage /> },
    { path: 'settlement-months', element: <MonthsPage /> },
  ],
};
