// Which part of the web app each role works in. Framework-free (tested by test/web/roles.test.ts);
// the router's guards (components/RequireArea.tsx) and the sign-in redirect both read it.

import type { Role } from './api-types';
export type { Role } from './api-types';

/** The four views of the web app; a role that has none gets a page saying so. */
export type Area = 'portal' | 'bd' | 'billing' | 'admin';

export const AREA_ROLES: Record<Area, readonly Role[]> = {
  portal: ['partner_admin', 'partner_operator', 'partner_viewer'],
  bd: ['bd'],
  billing: ['account_owner', 'account_finance'],
  admin: ['platform_admin'],
};

export const AREA_HOME: Record<Area, string> = {
  portal: '/portal',
  bd: '/bd/queue',
  billing: '/billing',
  admin: '/admin/promotion-expense',
};

export const ROLE_LABEL: Record<Role, string> = {
  platform_admin: 'Platform admin',
  bd: 'BD manager',
  partner_admin: 'Partner admin',
  partner_operator: 'Partner operator',
  partner_viewer: 'Partner viewer',
  account_owner: 'Account owner',
  account_finance: 'Account finance',
  account_member: 'Account member',
};

/** Every role the API knows (User.role in its document): the labels above must name each one. */
export const ROLES = Object.keys(ROLE_LABEL) as Role[];

export function areaOf(role: Role): Area | null {
  for (const area of Object.keys(AREA_ROLES) as Area[]) if (AREA_ROLES[area].includes(role)) return area;
  return null;
}

/** Where a person lands after signing in. */
export function homePath(role: Role): string {
  const area = areaOf(role);
  return area ? AREA_HOME[area] : '/no-web-view';
}

/** Whether a role may open a path: inside an area only that area's roles; anything else, everyone. */
export function mayOpen(role: Role, path: string): boolean {
  const area = (Object.keys(AREA_HOME) as Area[]).find((a) => path === `/${a}` || path.startsWith(`/${a}/`) || path.startsWith(`/${a}?`));
  return area === undefined || AREA_ROLES[area].includes(role);
}

/**
 * A same-origin path to return to after signing in, or null when `next` is not one (an absolute
 * URL, a protocol-relative `//host` or the sign-in page itself), so nobody is sent off-site.
 */
export function safeNextPath(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next === '/signin' || next.startsWith('/signin?')) return null;
  return next;
}
