// The app's views. Each area module (bd/area.tsx, portal/area.tsx, billing/area.tsx, admin/area.tsx) gives its
// base path, its navigation links and its routes; app.tsx mounts each under a guard that admits only
// the area's roles (roles.ts). Adding a page = adding a route and, if it is a destination, a link.
import type { RouteObject } from 'react-router';
import type { Me } from './api-types';
import type { Area } from './roles';

export interface NavItem {
  to: string;
  label: string;
  /**
   * Shown only when this holds for the person (a distributor's Resellers, not a reseller's). Not a
   * permission: what a role may read stays the API's decision, and the page shows its refusal.
   */
  shownTo?: (scope: Me['scope']) => boolean;
}

export interface AreaModule {
  area: Area;
  /** '/bd', '/portal', '/billing', '/admin': every route of the area lives under it. */
  basePath: string;
  title: string;
  nav: NavItem[];
  /** Relative to basePath. */
  routes: RouteObject[];
}
