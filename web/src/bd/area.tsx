import { Navigate } from 'react-router';
import type { AreaModule } from '../areas';
import { QueuePage } from './QueuePage';
import { DecisionsPage } from './DecisionsPage';

// The BD's view (role bd): the approval queue of the partners assigned to them, and their decisions.
export const bdArea: AreaModule = {
  area: 'bd',
  basePath: '/bd',
  title: 'Approvals',
  nav: [
    { to: '/bd/queue', label: 'Approval queue' },
    { to: '/bd/decisions', label: 'My decisions' },
  ],
  routes: [
    { index: true, element: <Navigate to="queue" replace /> },
    { path: 'queue', element: <QueuePage /> },
    { path: 'decisions', element: <DecisionsPage /> },
  ],
};
