import { Link } from 'react-router';
import { useMe } from '../session';
import { ROLE_LABEL } from '../roles';
import { Page } from '../components/Page';

/** Roles without a view yet (account_member): say so instead of an empty screen. */
export function NoWebViewPage() {
  const { scope } = useMe();
  return (
    <Page title="No web view for your role yet">
      <p>
        The web app has no view for the role {ROLE_LABEL[scope.role]} yet. Everything you may do is available through the API; its
        reference is at <a href="/docs">/docs</a>.
      </p>
    </Page>
  );
}

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>
        There is no page at this address. <Link to="/">Go to your start page</Link>.
      </p>
    </Page>
  );
}
