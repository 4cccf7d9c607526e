import { Navigate } from 'react-router';
import type { AreaModule } from '../areas';
import { QueuePage } from './QueuePage';
import { DecisionsPage } from './DecisionsPage';
import { BudgetsPage } from './BudgetsPage';

// The BD's view (role bd): the approval queue of the partners assigned to them, their decisions,
// and the vendor-borne budgets they grant those partners.
export const bdArea: AreaModule = {
  area: 'bd',
  basePath: '/bd',
  title: 'Approvals',
  nav: [
    { to: '/bd/queue', label: 'Approval queue' },
    { to: '/bd/decisions', label: 'My decisions' },
    { to: '/bd/budgets', label: 'Budgets' },
  ],
  routes: [
    { index: true, element: <Navigate to="queue" replace /> },
    { path: 'queue', element: <QueuePage /> },
    { path: 'decisions', element: <DecisionsPage /> },
    { path: 'budgets', element: <BudgetsPage /> },
  ],
};
