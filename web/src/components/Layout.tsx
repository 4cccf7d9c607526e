import { NavLink, Outlet, useNavigate } from 'react-router';
import { useMe, useSignOut } from '../session';
import { areaOf, ROLE_LABEL } from '../roles';
import type { AreaModule } from '../areas';

/** The signed-in frame: a skip link, the top bar (app, navigation, who, sign out) and <main>. */
export function Layout({ areas }: { areas: AreaModule[] }) {
  const { user, scope } = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const mine = areas.find((a) => a.area === areaOf(scope.role));
  const nav = (mine?.nav ?? []).filter((n) => n.shownTo?.(scope) ?? true);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Channel Coupons{mine ? <span className="brand-area"> · {mine.title}</span> : null}</span>
        {nav.length > 0 ? (
          <nav aria-label="Main" className="main-nav">
            <ul>
              {nav.map((n) => (
                <li key={n.to}>
                  <NavLink to={n.to}>{n.label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="user-box">
          <span className="visually-hidden">Signed in as </span>
          <span className="user-email">{user.email}</span>
          <span className="user-role">{ROLE_LABEL[scope.role]}</span>
          <button
            type="button"
            className="button button-secondary"
            disabled={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/signin', { replace: true }) })}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
