import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import helmet from 'helmet';

/** Where the built web app is looked for when WEB_DIST_DIR is not set: <repo>/web/dist. */
export const DEFAULT_WEB_DIST = path.resolve(__dirname, '..', '..', 'web', 'dist');

// Paths that belong to the API and the operators' pages: never the web app's, whatever they accept.
const NOT_WEB = /^\/(v1|docs|openapi\.json|metrics|healthz|readyz|admin\/queues)(\/|$)/;

/**
 * The web app (a single-page app built into `dist`): files as they are, long-cached when their
 * names carry a content hash (`/assets/*`), and index.html, never cached, for every other page a
 * browser navigates to, so the app's own router resolves it. Its pages get a strict CSP: only
 * same-origin scripts, no inline ones; inline style attributes are allowed because the chart
 * library draws with them. Undefined when `dist` holds no index.html (nothing built yet).
 */
export function webApp(dist: string): Router | undefined {
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) return undefined;
  const r = express.Router();
  const mine: RequestHandler = (req, _res, next) =>
    (req.method === 'GET' || req.method === 'HEAD') && !NOT_WEB.test(req.path) ? next() : next('router');
  r.use(mine);
  r.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'script-src-attr': ["'none'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      xFrameOptions: { action: 'deny' },
    }),
  );
  r.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  r.use(
    express.static(dist, {
      index: false,
      setHeaders: (res, file) => {
        if (file === index) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  r.use((req, res, next) => {
    // Only a page navigation: a script, an image or fetch() asking for a missing file gets the 404.
    if (!/\btext\/html\b/.test(req.headers.accept ?? '')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
