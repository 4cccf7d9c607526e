// The app's three views. Each area module (bd/area.tsx, portal/area.tsx, billing/area.tsx) gives its
// base path, its navigation links and its routes; app.tsx mounts each under a guard that admits only
// the area's roles (roles.ts). Adding a page = adding a route and, if it is a destination, a link.
import type { RouteObject } from 'react-router';
import type { Area } from './roles';

export interface NavItem {
  to: string;
  label: string;
}

export interface AreaModule {
  area: Area;
  /** '/bd', '/portal', '/billing': every route of the area lives under it. */
  basePath: string;
  title: string;
  nav: NavItem[];
  /** Relative to basePath. */
  routes: RouteObject[];
}
