import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { harness } from '../../support/harness';

/**
 * Browser tests drive Debian's Chromium (no browser download) through playwright-core against the
 * real stack: the suite's one express server (harness.baseUrl), which serves web/dist beside /v1.
 * One browser per test file (useBrowser() in its describe); a fresh context (cookies, storage) per
 * person. See web/README.md, "Browser tests".
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CHROMIUM = process.env.COUPONS_CHROMIUM ?? '/usr/bin/chromium';
const DIST_INDEX = path.join(ROOT, 'web', 'dist', 'index.html');
const SHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');

/** Fails early, saying what to do, when the app is not built or the server does not serve it. */
async function assertServable(): Promise<void> {
  if (!fs.existsSync(DIST_INDEX)) throw new Error('web/dist/index.html is missing: run npm run web:build (scripts/test.sh builds it first)');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/ensure-chromium.sh (scripts/test.sh does), or set COUPONS_CHROMIUM`);
  const res = await fetch(`${harness.baseUrl}/signin`, { headers: { accept: 'text/html' } });
  const body = await res.text();
  if (!res.ok || !body.includes('<div id="root">')) {
    throw new Error(`the test server does not serve the web app at / (GET /signin answered ${res.status}); createApp serves web/dist when web/dist/index.html exists at start`);
  }
}

/**
 * What went wrong in a page: console errors, uncaught exceptions, /v1 answers of 500 and more, and
 * /v1 refusals (4xx, as "METHOD /v1/path STATUS"), which a flow must not meet unless its test
 * names them as what it checks (a wrong password's 401, a forced vendor-borne request's 403).
 */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  serverErrors: string[];
  refusals: string[];
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  problems: PageProblems;
  /** Every /v1 request the page made, as "METHOD /v1/path" (query left out). */
  apiCalls: string[];
  /**
   * No console error, page error or 5xx; and no /v1 refusal but those named in `expected`
   * (patterns matched against "METHOD /v1/path STATUS", e.g. /^POST \/v1\/session 401$/). The
   * refusals it accepted are cleared, so the next check of the same page judges only newer ones.
   */
  expectNoConsoleErrors(expected?: RegExp[]): void;
}

// Chromium logs every non-2xx fetch as a console error ("Failed to load resource: ... status of
// 401"). For /v1 answers below 500 that line carries no more than the response itself, which is
// kept in `refusals` (with its method and path) and judged there; 5xx are kept in serverErrors.
const NETWORK_LOG = /^Failed to load resource: the server responded with a status of (\d{3})/;

function track(page: Page, context: BrowserContext): TrackedPage {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], serverErrors: [], refusals: [] };
  const apiCalls: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const status = NETWORK_LOG.exec(m.text())?.[1];
    if (status && Number(status) < 500 && URL.parse(m.location().url)?.pathname.startsWith('/v1/')) return;
    problems.consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.pageErrors.push(e.stack ?? e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/v1/')) apiCalls.push(`${r.method()} ${u.pathname}`);
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (!u.pathname.startsWith('/v1/')) return;
    if (r.status() >= 500) problems.serverErrors.push(`${r.request().method()} ${u.pathname} -> ${r.status()}`);
    else if (r.status() >= 400) problems.refusals.push(`${r.request().method()} ${u.pathname} ${r.status()}`);
  });
  return {
    page,
    context,
    problems,
    apiCalls,
    expectNoConsoleErrors(expected: RegExp[] = []) {
      const unexpected = problems.refusals.filter((r) => !expected.some((e) => e.test(r)));
      expect({ ...problems, refusals: unexpected }, 'console errors, page errors, 5xx answers or refusals no test expects').to.deep.equal({
        consoleErrors: [], pageErrors: [], serverErrors: [], refusals: [],
      });
      problems.refusals.length = 0; // judged: a later check of the same page sees only what follows
    },
  };
}

/**
 * Registers before/after hooks in the calling describe: one Chromium for the file, closed after it.
 * `file` is the test's __filename; it names the screenshots.
 */
export function useBrowser(file: string) {
  const name = path.basename(file).replace(/\.test\.ts$/, '');
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  before(async function () {
    this.timeout(30_000);
    await assertServable();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  after(async () => {
    await browser?.close();
  });
  return {
    /** A new page in its own context (its own cookies: one person), at the app's origin. */
    async newPage(): Promise<TrackedPage> {
      if (!browser) throw new Error('newPage() before the browser started: call it inside a test or hook');
      const context = await browser.newContext({ baseURL: harness.baseUrl, viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      return track(await context.newPage(), context);
    },
    /** test-artifacts/screenshots/<file>-<shot>.png (the folder is gitignored; CI may keep it). */
    async screenshot(page: Page, shot: string): Promise<void> {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${name}-${shot}.png`), fullPage: true });
    },
  };
}

/**
 * The focused element as the page sees it (null: none, the body). Code that runs in the page names
 * the few DOM members it uses: the tests compile under Node's types, without the DOM's.
 */
export function focused(page: Page): Promise<{ tag: string; id: string; role: string | null; text: string } | null> {
  return page.evaluate(() => {
    const doc = (globalThis as { document?: { activeElement: Focusable | null; body: unknown } }).document!;
    const e = doc.activeElement;
    return e && e !== doc.body ? { tag: e.tagName, id: e.id, role: e.getAttribute('role'), text: (e.textContent ?? '').trim() } : null;
  });
}
interface Focusable {
  tagName: string;
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

/** Waits (Playwright's bounded wait, no sleep) until the focused element matches the CSS selector. */
export async function waitForFocus(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    (sel) => Boolean((globalThis as { document?: { activeElement: { matches(s: string): boolean } | null } }).document?.activeElement?.matches(sel)),
    selector,
  );
}

/** Signs in through the real form, as a person would; resolves once the app has left /signin. */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/signin');
}

/**
 * Every input, select and textarea on the page has an accessible label: a <label for>, a wrapping
 * label, aria-label or aria-labelledby; and Playwright's getByLabel finds it by that label's text.
 * Returns the labels found, so a test can also check the ones it expects.
 */
export async function expectEveryFieldLabelled(page: Page): Promise<string[]> {
  // Runs in the page; `any` stands for the DOM types the Node-typed tests do not compile with.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const fields = await page.locator('input:not([type=hidden]), select, textarea').evaluateAll((els: any[]) => {
    const doc = (globalThis as any).document;
    return els.map((e) => {
      const byLabel = Array.from(e.labels ?? [], (l: any) => String(l.textContent ?? '').trim()).filter(Boolean);
      const byAria = String(e.getAttribute('aria-label') ?? '').trim();
      const byRef = String(e.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .map((id) => (id ? String(doc.getElementById(id)?.textContent ?? '').trim() : ''))
        .filter(Boolean)
        .join(' ');
      return { what: `${e.tagName.toLowerCase()}#${e.id || '?'}[name=${e.getAttribute('name') ?? ''}]`, label: (byLabel[0] || byAria || byRef || null) as string | null };
    });
  });
  /* eslint-enable @typescript-eslint/no-explicit-any */
  const unlabelled = fields.filter((f) => !f.label).map((f) => f.what);
  expect(unlabelled, 'form fields without a label').to.deep.equal([]);
  for (const f of fields) {
    expect(await page.getByLabel(f.label!, { exact: true }).count(), `getByLabel(${JSON.stringify(f.label)})`).to.be.at.least(1);
  }
  return fields.map((f) => f.label!);
}
