import { expect } from 'chai';
import { formatAge, formatDuration, secondsSince } from '../../web/src/time';
import { areaOf, homePath, mayOpen, ROLES, safeNextPath } from '../../web/src/roles';

describe('web helpers: ages, and where each role works', () => {
  it('ages read as the largest whole unit', () => {
    expect([0, 59, 60, 3599, 3600, 7260, 86_399, 86_400, 200_000].map(formatDuration)).to.deep.equal([
      '0 s', '59 s', '1 min', '59 min', '1 h', '2 h', '23 h', '1 d', '2 d',
    ]);
    expect(formatAge(30)).to.equal('just now');
    expect(formatAge(3 * 3600 + 5)).to.equal('3 h ago');
    expect(secondsSince('2026-01-01T00:00:00.000Z', Date.parse('2026-01-01T01:00:00.999Z'))).to.equal(3600);
    expect(secondsSince('2026-01-01T00:00:10.000Z', Date.parse('2026-01-01T00:00:00.000Z'))).to.equal(0);
  });

  it('R3: partner roles land in the portal, the BD in its queue, account payers in billing, the platform admin in its area, the rest on a page saying so', () => {
    const homes = Object.fromEntries(ROLES.map((r) => [r, homePath(r)]));
    expect(homes).to.deep.equal({
      platform_admin: '/admin/promotion-expense',
      bd: '/bd/queue',
      partner_admin: '/portal',
      partner_operator: '/portal',
      partner_viewer: '/portal',
      account_owner: '/billing',
      account_finance: '/billing',
      account_member: '/no-web-view',
    });
    expect(areaOf('account_member')).to.equal(null);
  });

  it('R3: an area opens only for its roles; other paths for everyone', () => {
    expect(mayOpen('bd', '/bd/decisions')).to.equal(true);
    expect(mayOpen('partner_admin', '/bd/queue')).to.equal(false);
    expect(mayOpen('bd', '/billing')).to.equal(false);
    expect(mayOpen('bd', '/bdx')).to.equal(true);
    expect(mayOpen('account_member', '/no-web-view')).to.equal(true);
  });

  it('returns after sign-in only to a path of this site', () => {
    expect(safeNextPath('/bd/queue?open=1')).to.equal('/bd/queue?open=1');
    for (const bad of [null, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', '/signin', '/signin?next=/x', 'bd/queue']) {
      expect(safeNextPath(bad), String(bad)).to.equal(null);
    }
  });
});
