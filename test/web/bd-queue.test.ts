import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { useWorkers } from '../support/jobs';
import { createTemplate, ensureProducts } from '../support/coupons-world';
import { fingerprint } from '../support/db-fingerprint';
import { expectEveryFieldLabelled, focused, signInThroughForm, useBrowser, waitForFocus, type TrackedPage } from './support/browser';
import { clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';

/**
 * R2, R9 in the browser: the BD's approval queue on the real stack (the suite's express server
 * serving web/dist, PostgreSQL, the relay and BullMQ workers issuing after approval). The tests run
 * in order, as one BD's session: approve the oldest request, then reject the next.
 */
describe('web: the BD approval queue (R2, R9), in Chromium', () => {
  const web = useBrowser(__filename);
  let w: World;
  const workers = useWorkers();
  let bd: TrackedPage;
  let oldest: string; // the partner's request, submitted through the API and made 3 hours old

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await givePasswords([w.bd]);
    await clearSignInFailures();
    // As the partner would: a vendor-borne template issued to two of its subaccounts.
    const t = await createTemplate(w.A.pa, { name: 'Spring growth fund', costBearer: 'vendor', faceValue: '5000' });
    const res = await as(w.A.pa.token).post('/v1/issuance-requests', { templateId: t.id, accountIds: [w.A.account, w.A.account2] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    oldest = res.body.id;
    await workers.watcher.completion(`issuance.route-${oldest}`);
    // Older than the world's own pending request (w.A.reqD), so it heads the queue.
    await harness.ds.query(`UPDATE issuance_requests SET created_at = now() - interval '3 hours 5 minutes' WHERE id = $1`, [oldest]);
    bd = await web.newPage();
  });

  const status = async (id: string) => (await as(w.bd.token).get(`/v1/issuance-requests/${id}`)).body as { status: string; decisionReason: string | null };
  const option = (id: string) => bd.page.locator(`#queue-option-${id}`);

  it('R2 R9: the BD signs in, sees the oldest request first with its age, opens it with the keyboard only, approves, and the workers issue it', async () => {
    const { page } = bd;
    await signInThroughForm(page, w.bd.email, WEB_PASSWORD);
    expect(new URL(page.url()).pathname).to.equal('/bd/queue');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approval queue' }).waitFor();
    expect(await page.getByRole('banner').textContent()).to.include(w.bd.email).and.include('BD manager');

    const options = page.getByRole('option');
    await option(oldest).waitFor();
    expect(await options.count()).to.equal(2);
    expect(await options.nth(0).getAttribute('id')).to.equal(`queue-option-${oldest}`);
    expect(await options.nth(1).getAttribute('id')).to.equal(`queue-option-${w.A.reqD}`);
    expect(await options.nth(0).textContent()).to.include('$100.00').and.include('2 accounts').and.include('3 h ago');
    expect(await options.nth(1).textContent()).to.include('$50.00').and.include('just now');
    await web.screenshot(page, '1-queue');

    // Keyboard only: Tab until the listbox has the focus, ArrowDown / ArrowUp, Enter.
    for (let i = 0; i < 30 && (await focused(page))?.role !== 'listbox'; i++) {
      await page.keyboard.press('Tab');
    }
    const listbox = page.getByRole('listbox');
    expect((await focused(page))?.role, 'Tab reaches the queue').to.equal('listbox');
    expect(await listbox.getAttribute('aria-activedescendant')).to.equal(`queue-option-${oldest}`);
    await page.keyboard.press('ArrowDown');
    expect(await listbox.getAttribute('aria-activedescendant')).to.equal(`queue-option-${w.A.reqD}`);
    await page.keyboard.press('k');
    expect(await listbox.getAttribute('aria-activedescendant')).to.equal(`queue-option-${oldest}`);
    expect(await option(oldest).getAttribute('aria-selected')).to.equal('true');
    await page.keyboard.press('Enter');

    const detail = page.locator('article.request-detail');
    await detail.getByRole('heading', { level: 2, name: /Spring growth fund/ }).waitFor();
    await waitForFocus(page, '#detail-heading');
    const text = await detail.textContent();
    expect(text).to.include('$100.00').and.include('2 × $50.00').and.include('cust1-a').and.include('cust2-a');
    expect(text).to.include('Template rules').and.include('30 days from issuance');
    expect(text).to.include('1 approved, 0 rejected'); // the world's issued vendor-borne request
    await expectEveryFieldLabelled(page);
    await web.screenshot(page, '2-detail');

    // `a` asks first; Enter on the focused "Yes, approve" confirms.
    await page.keyboard.press('a');
    const dialog = page.getByRole('dialog', { name: 'Approve this request?' });
    await dialog.waitFor();
    await waitForFocus(page, 'dialog[open] button.button-primary');
    expect((await focused(page))?.text).to.equal('Yes, approve');
    await web.screenshot(page, '3-confirm');
    await page.keyboard.press('Enter');

    await option(oldest).waitFor({ state: 'detached' });
    expect(await options.count()).to.equal(1);
    await page.getByRole('status').filter({ hasText: /Approved .* request for \$100\.00/ }).waitFor();
    // The real workers issue it; the detail pane follows the status until it settles.
    expect(await workers.watcher.completion(`issuance.issue-${oldest}`)).to.equal('done');
    await detail.locator('.detail-status').filter({ hasText: 'Issued' }).waitFor();
    expect(await detail.locator('.detail-status').textContent()).to.include('2 issued');
    expect((await status(oldest)).status).to.equal('issued');
    await web.screenshot(page, '4-approved');
    bd.expectNoConsoleErrors();
  });

  it('R9: a rejection needs a reason: an empty one is refused on the page and nothing is sent; with one the request is rejected', async () => {
    const { page } = bd;
    // The focus went back to the queue after the approval; the next request is the active one.
    const listbox = page.getByRole('listbox');
    expect((await focused(page))?.role).to.equal('listbox');
    expect(await listbox.getAttribute('aria-activedescendant')).to.equal(`queue-option-${w.A.reqD}`);
    // `r` opens it and goes to the reason.
    await page.keyboard.press('r');
    const reason = page.getByLabel('Reason for rejecting');
    await reason.waitFor();
    await waitForFocus(page, 'textarea[name=reason]');

    const before = await fingerprint(harness.ds);
    const calls = bd.apiCalls.length;
    await reason.fill('   ');
    await page.getByRole('button', { name: 'Reject request' }).click();
    const error = page.getByText('Give a reason for rejecting: the partner sees it.');
    await error.waitFor();
    expect(await reason.getAttribute('aria-invalid')).to.equal('true');
    const describedBy = (await reason.getAttribute('aria-describedby'))!.split(' ');
    expect(describedBy).to.include(await error.getAttribute('id'));
    expect(bd.apiCalls.slice(calls).filter((c) => c.startsWith('POST')), 'no decision was sent').to.deep.equal([]);
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    expect((await status(w.A.reqD)).status).to.equal('pending_approval');
    await web.screenshot(page, '5-empty-reason');

    await reason.fill('The quarter\'s vendor budget for this partner is spent.');
    await page.getByRole('button', { name: 'Reject request' }).click();
    await option(w.A.reqD).waitFor({ state: 'detached' });
    await page.getByText('Nothing waiting for you').waitFor();
    await page.locator('.detail-status').filter({ hasText: 'Rejected' }).waitFor();
    expect(await status(w.A.reqD)).to.deep.include({ status: 'rejected', decisionReason: 'The quarter\'s vendor budget for this partner is spent.' });
    await web.screenshot(page, '6-rejected');
    bd.expectNoConsoleErrors();
  });

  it('R9: "My decisions" lists both, newest first, and filters by outcome', async () => {
    const { page } = bd;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My decisions' }).click();
    await page.getByRole('heading', { level: 1, name: 'My decisions' }).waitFor();
    const rows = page.locator('table.data-table tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.count()).to.equal(2);
    expect(await rows.nth(0).textContent()).to.include('Rejected').and.include('budget for this partner is spent');
    expect(await rows.nth(1).textContent()).to.include('Spring growth fund').and.include('Issued').and.include('$100.00');
    expect(await expectEveryFieldLabelled(page)).to.include('Outcome');
    await web.screenshot(page, '7-decisions');
    await page.getByLabel('Outcome').selectOption('approved');
    await page.waitForURL(/outcome=approved/);
    await rows.filter({ hasText: 'Rejected' }).waitFor({ state: 'detached' });
    expect(await rows.count()).to.equal(1);
    bd.expectNoConsoleErrors();
  });
});
