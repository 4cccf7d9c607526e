import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createApp } from '../../src/app';
import { harness } from '../support/harness';
import { freePort, spawnApi, type ApiProcess } from '../support/api-process';
import { buildWorld, type World } from '../support/world';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/app-3f9a.js"></script></head><body><div id="root"></div></body></html>';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the web app: built files and SPA pages from WEB_DIST_DIR, beside the API', () => {
  let dist: string;
  let api: ApiProcess;
  let base: string;
  let w: World;
  before(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), INDEX);
    fs.writeFileSync(path.join(dist, 'assets', 'app-3f9a.js'), 'console.log("app")');
    fs.writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    w = await buildWorld(harness.ds);
    const port = await freePort();
    api = spawnApi({ WEB_DIST_DIR: dist, LOG_LEVEL: 'info' }, port);
    await api.waitFor('api listening');
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    api.child.kill('SIGTERM');
    await api.exited;
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('/ and a client-side route such as /billing/wallet answer index.html, never cached, under a strict CSP', async () => {
    for (const p of ['/', '/billing/wallet', '/coupons/7b0f0f3e-4a4e-4f7e-9a51-1d2b2c3d4e5f']) {
      const res = await fetch(base + p, { headers: HTML });
      expect(res.status, p).to.equal(200);
      expect(res.headers.get('content-type'), p).to.match(/^text\/html/);
      expect(await res.text(), p).to.equal(INDEX);
      expect(res.headers.get('cache-control'), p).to.equal('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      expect(directives['default-src']).to.deep.equal(["'self'"]);
      expect(directives['script-src']).to.deep.equal(["'self'"]);
      expect(directives['img-src']).to.deep.equal(["'self'", 'data:']);
      expect(directives['style-src']).to.deep.equal(["'self'", "'unsafe-inline'"]);
      expect(directives['frame-ancestors']).to.deep.equal(["'none'"]);
      expect(res.headers.get('x-frame-options')).to.equal('DENY');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    }
  });

  it('hashed assets are cached for a year as immutable; other files are served as they are', async () => {
    const js = await fetch(`${base}/assets/app-3f9a.js`);
    expect(js.status).to.equal(200);
    expect(js.headers.get('content-type')).to.match(/javascript/);
    expect(js.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.status).to.equal(200);
    expect(icon.headers.get('content-type')).to.match(/^image\/svg/);
  });

  it('a missing file asked for by a script or fetch (not a page navigation) is the JSON 404', async () => {
    for (const p of ['/assets/missing-1234.js', '/nothing-here.png']) {
      const res = await fetch(base + p, { headers: { accept: '*/*' } });
      expect(res.status, p).to.equal(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('not_found');
    }
  });

  it('the API keeps its paths: /v1/nonexistent is the JSON 404 even for a browser, /v1 still needs credentials', async () => {
    const res = await fetch(`${base}/v1/nonexistent`, { headers: { ...HTML, authorization: `Bearer ${w.A.pa.token}` } });
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(await res.json()).to.deep.equal({ error: { code: 'not_found', message: 'no such route', details: null } });
    expect((await fetch(`${base}/v1/me`, { headers: HTML })).status).to.equal(401);
    expect((await fetch(`${base}/v1`, { headers: HTML })).status).to.equal(401);
  });

  it('/docs, /openapi.json, /healthz and /metrics are not the web app, and /docs keeps working without its CSP', async () => {
    const docs = await fetch(`${base}/docs/`, { headers: HTML });
    expect(docs.status).to.equal(200);
    expect(await docs.text()).to.include('swagger-ui');
    expect(docs.headers.get('content-security-policy')).to.equal(null);
    for (const p of ['/openapi.json', '/healthz']) {
      const res = await fetch(base + p, { headers: HTML });
      expect(res.status, p).to.equal(200);
      expect(res.headers.get('content-type'), p).to.match(/^application\/json/);
    }
    const metrics = await fetch(`${base}/metrics`, { headers: HTML });
    expect(metrics.headers.get('content-type')).to.match(/^text\/plain/);
  });

  it('without a built web app (no index.html), pages are the JSON 404 as before', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'web-empty-'));
    const server = createApp({ ds: harness.ds, redis: harness.redis, webDist: empty }).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/billing/wallet`, { headers: HTML });
      expect(res.status).to.equal(404);
      expect(res.headers.get('content-security-policy')).to.equal(null);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('not_found');
    } finally {
      server.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
