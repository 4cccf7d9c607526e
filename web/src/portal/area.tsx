import type { AreaModule } from '../areas';
import { Page } from '../components/Page';
import { useMe } from '../session';

// The distributor portal (partner_admin, partner_operator, partner_viewer). A placeholder start page:
// the portal's pages are added here as routes and nav links (see web/README.md).
function PortalHome() {
  const { user } = useMe();
  return (
    <Page title="Partner portal">
      <p>Welcome, {user.name}. The portal's pages (templates, issuances, subaccounts, reports) are on their way.</p>
    </Page>
  );
}

export const portalArea: AreaModule = {
  area: 'portal',
  basePath: '/portal',
  title: 'Partner portal',
  nav: [{ to: '/portal', label: 'Overview' }],
  routes: [{ index: true, element: <PortalHome /> }],
};
