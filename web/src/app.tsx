import { createBrowserRouter, type RouteObject } from 'react-router';
import type { AreaModule } from './areas';
import { bdArea } from './bd/area';
import { portalArea } from './portal/area';
import { billingArea } from './billing/area';
import { adminArea } from './admin/area';
import { Layout } from './components/Layout';
import { HomeRedirect, RequireArea, RequireSignIn } from './components/guards';
import { SignInPage } from './pages/SignInPage';
import { NoWebViewPage, NotFoundPage } from './pages/simple-pages';

/** The four views; each mounts under its base path behind a guard for its roles (roles.ts). */
export const AREAS: AreaModule[] = [portalArea, bdArea, billingArea, adminArea];

export const routes: RouteObject[] = [
  { path: '/signin', element: <SignInPage /> },
  {
    element: <RequireSignIn />,
    children: [
      {
        element: <Layout areas={AREAS} />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'no-web-view', element: <NoWebViewPage /> },
          ...AREAS.map((a) => ({ path: a.basePath, element: <RequireArea area={a.area} />, children: a.routes })),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
