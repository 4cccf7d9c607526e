import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { useMe, useSession } from '../session';
import { AREA_ROLES, homePath, ROLE_LABEL, type Area } from '../roles';
import { Loading } from './Loading';
import { ErrorMessage } from './ErrorMessage';
import { Page } from './Page';

/** Everything but /signin: asks the server who is signed in; nobody -> /signin?next=<here>. */
export function RequireSignIn() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading label="Checking your session…" />;
  if (session.isError) {
    return (
      <main id="main" className="page">
        <ErrorMessage error={session.error} title="The app could not reach the server" />
      </main>
    );
  }
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

/** An area of another role's: a clear page instead, never a broken view or a silent redirect. */
export function RequireArea({ area }: { area: Area }) {
  const { scope } = useMe();
  if (!AREA_ROLES[area].includes(scope.role)) return <NotAvailable />;
  return <Outlet />;
}

export function NotAvailable() {
  const { scope } = useMe();
  return (
    <Page title="Not available for your role">
      <p>
        This page is not available for your role ({ROLE_LABEL[scope.role]}). <Link to={homePath(scope.role)}>Go to your start page</Link>.
      </p>
    </Page>
  );
}

/** `/`: each person's own start page. */
export function HomeRedirect() {
  const { scope } = useMe();
  return <Navigate to={homePath(scope.role)} replace />;
}
