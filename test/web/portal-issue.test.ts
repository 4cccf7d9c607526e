import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { useWorkers } from '../support/jobs';
import { createTemplate, ensureProducts } from '../support/coupons-world';
import { signInThroughForm, useBrowser, waitForFocus, type TrackedPage } from './support/browser';
import { clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';
import { fillIssuanceForm } from './support/portal-steps';

/**
 * Issuing and cancelling in the portal without surprises (issue 11, item 9): Enter in the search
 * never submits, select-all picks only what can be picked, issue and cancel are confirmed first,
 * and a refusal that names accounts names them as the page knows them.
 */
describe('web: issuing and cancelling safely in the portal (R5-R9), in Chromium', () => {
  const web = useBrowser(__filename);
  let w: World;
  const workers = useWorkers();
  let pa: TrackedPage;
  let lateOff: string;
  const tpl = { spring: 'Spring credit', vendor: 'Vendor fund', once: 'Welcome once' };

  const requestCount = async () =>
    Number((await harness.ds.query(`SELECT count(*) AS n FROM issuance_requests WHERE partner_id = $1`, [w.A.partner]))[0].n);
  const posts = (from: number) => pa.apiCalls.slice(from).filter((c) => c.startsWith('POST '));

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await givePasswords([w.A.pa]);
    await clearSignInFailures();
    const rows: { id: string; name: string }[] = await harness.ds.query(
      `INSERT INTO accounts (tenant_id, partner_id, kind, name, status)
       VALUES ($1, $1, 'customer', 'pick-1', 'active'), ($1, $1, 'customer', 'pick-2', 'active'), ($1, $1, 'customer', 'pick-3', 'active'),
              ($1, $1, 'customer', 'pick-off', 'deactivated'), ($1, $1, 'customer', 'late-off', 'active')
       RETURNING id, name`,
      [w.A.partner],
    );
    lateOff = rows.find((r) => r.name === 'late-off')!.id;
    await createTemplate(w.A.pa, { name: tpl.spring, faceValue: '5000' });
    await createTemplate(w.A.pa, { name: tpl.vendor, costBearer: 'vendor', faceValue: '7500' });
    pa = await web.newPage();
    await signInThroughForm(pa.page, w.A.pa.email, WEB_PASSWORD);
  });

  it('R9: pressing Enter in the subaccount search does not submit the request', async () => {
    const { page } = pa;
    await fillIssuanceForm(page, { templateName: tpl.spring, accountNames: ['cust2-a'] });
    const before = await requestCount();
    const calls = pa.apiCalls.length;
    const search = page.getByLabel('Search subaccounts by name');
    await search.fill('cust1');
    await search.press('Enter');
    // A search typed after the Enter, answered: whatever the Enter started has started by now.
    await search.fill('pick');
    await page.getByRole('checkbox', { name: /^pick-1 \(/ }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/portal/issue');
    expect(posts(calls), 'nothing submitted').to.deep.equal([]);
    expect(await page.getByRole('dialog').count(), 'no confirm step either').to.equal(0);
    expect(await page.locator('.selected-count').textContent()).to.equal('1 subaccount selected');
    expect(await requestCount()).to.equal(before);
    pa.expectNoConsoleErrors();
  });

  it('R5: "select all" ticks only the active subaccounts shown, and says how many', async () => {
    const { page } = pa;
    await fillIssuanceForm(page, { templateName: tpl.spring, accountNames: [] });
    await page.getByLabel('Search subaccounts by name').fill('pick');
    const off = page.getByRole('checkbox', { name: 'pick-off (customer, deactivated)' });
    await off.waitFor();
    expect(await off.isDisabled()).to.equal(true);
    const all = page.getByRole('checkbox', { name: 'Select all 3 active shown' });
    // Ticking each active one by hand is "all selected" too.
    for (const n of [1, 2, 3]) await page.getByRole('checkbox', { name: `pick-${n} (customer)` }).check();
    expect(await all.isChecked(), 'every selectable account is selected').to.equal(true);
    await all.uncheck();
    await page.locator('.selected-count').filter({ hasText: /^0 subaccounts selected$/ }).waitFor();
    await all.check();
    await page.locator('.selected-count').filter({ hasText: /^3 subaccounts selected$/ }).waitFor();
    expect(await off.isChecked()).to.equal(false);
    await web.screenshot(page, '1-select-all-active');

    const calls = pa.apiCalls.length;
    await page.getByRole('button', { name: 'Submit request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Submit this request?' });
    await dialog.waitFor();
    const text = (await dialog.textContent())!;
    expect(text).to.include(tpl.spring).and.include('3 subaccounts').and.include('$150.00').and.include('issued straight away');
    await dialog.getByRole('button', { name: 'Yes, submit request' }).click();
    await page.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect(posts(calls)).to.deep.equal(['POST /v1/issuance-requests']);
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${id}`)).body.totalAccounts).to.equal(3);
    expect(await workers.watcher.completion(`issuance.issue-${id}`)).to.equal('done');
    pa.expectNoConsoleErrors();
  });

  it('R9: "Submit request" first asks to confirm the template, the number of subaccounts and the total; Back sends nothing', async () => {
    const { page } = pa;
    await fillIssuanceForm(page, { templateName: tpl.vendor, accountNames: ['cust1-a', 'cust2-a'] });
    const calls = pa.apiCalls.length;
    const submit = page.getByRole('button', { name: 'Submit request' });
    await submit.click();
    const dialog = page.getByRole('dialog', { name: 'Submit this request?' });
    await dialog.waitFor();
    const text = (await dialog.textContent())!;
    expect(text).to.include(tpl.vendor).and.include('2 subaccounts').and.include('$150.00').and.include('your BD');
    await waitForFocus(page, 'dialog button.button-primary');
    await web.screenshot(page, '2-confirm-issue');

    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForFocus(page, 'button[type=submit]');
    expect(posts(calls), 'Back sends nothing').to.deep.equal([]);
    expect(await page.locator('.selected-count').textContent()).to.equal('2 subaccounts selected');

    // Escape is Back too.
    await submit.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(posts(calls)).to.deep.equal([]);

    await submit.click();
    await dialog.getByRole('button', { name: 'Yes, submit request' }).click();
    await page.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
    await page.locator('.request-status .badge').waitFor();
    expect(posts(calls)).to.deep.equal(['POST /v1/issuance-requests']);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect(await workers.watcher.completion(`issuance.route-${id}`)).to.equal('done');
    pa.expectNoConsoleErrors();
  });

  it('R9: cancelling a pending request asks to confirm first; keeping it changes nothing', async () => {
    const { page } = pa;
    const vendor = (await as(w.A.pa.token).get('/v1/templates?limit=100')).body.items.find((t: { name: string }) => t.name === tpl.vendor);
    const made = await as(w.A.pa.token).post('/v1/issuance-requests', { templateId: vendor.id, accountIds: [w.A.account, w.A.account2] });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    const id = made.body.id as string;
    expect(await workers.watcher.completion(`issuance.route-${id}`)).to.equal('done');
    await page.goto(`/portal/requests/${id}`);
    await page.locator('.request-status .badge').filter({ hasText: 'Waiting for approval' }).waitFor();
    const calls = pa.apiCalls.length;

    const cancel = page.getByRole('button', { name: 'Cancel request' });
    await cancel.click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this request?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).to.include(tpl.vendor).and.include('2 subaccounts').and.include('$150.00');
    await web.screenshot(page, '3-confirm-cancel');
    await dialog.getByRole('button', { name: 'Keep request' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(posts(calls), 'keeping it sends nothing').to.deep.equal([]);
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${id}`)).body.status).to.equal('pending_approval');

    await cancel.click();
    await dialog.getByRole('button', { name: 'Yes, cancel request' }).click();
    await page.locator('.request-status .badge').filter({ hasText: 'Cancelled' }).waitFor();
    expect(posts(calls)).to.deep.equal([`POST /v1/issuance-requests/${id}/cancel`]);
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${id}`)).body.status).to.equal('cancelled');
    pa.expectNoConsoleErrors();
  });

  /** Submits through the confirm step; resolves with the refusal shown on the issue page. */
  async function submitRefused(templateName: string, accountNames: string[], beforeSubmit?: () => Promise<void>) {
    const { page } = pa;
    await fillIssuanceForm(page, { templateName, accountNames });
    await beforeSubmit?.();
    const before = await requestCount();
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByRole('dialog', { name: 'Submit this request?' }).getByRole('button', { name: 'Yes, submit request' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The request was refused' });
    await alert.waitFor();
    await waitForFocus(page, '.issue-refusal');
    expect(new URL(page.url()).pathname).to.equal('/portal/issue');
    expect(await requestCount(), 'nothing written').to.equal(before);
    return { alert, named: (await alert.getByRole('listitem').allTextContents()).map((t) => t.trim()) };
  }

  it('R7: a refusal for accounts that already have a once-per-account template names them', async () => {
    const once = await createTemplate(w.A.pa, { name: tpl.once, issueLimit: 'once', faceValue: '2000' });
    const first = await as(w.A.pa.token).post('/v1/issuance-requests', { templateId: once.id, accountIds: [w.A.account] });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(await workers.watcher.completion(`issuance.issue-${first.body.id}`)).to.equal('done');

    const { alert, named } = await submitRefused(tpl.once, ['cust1-a', 'cust2-a']);
    expect(named).to.deep.equal(['cust1-a']);
    expect(await alert.textContent()).to.not.include(w.A.account);
    await web.screenshot(pa.page, '4-refused-once');
    pa.expectNoConsoleErrors([/^POST \/v1\/issuance-requests 409$/]); // the R7 refusal shown above
  });

  it('R6: a vendor-borne request to a reseller\'s account is refused with the reason, naming the account', async () => {
    const { alert, named } = await submitRefused(tpl.vendor, ['cust2-a', 'res-acct-a']);
    expect(named).to.deep.equal(['res-acct-a']);
    expect(await alert.textContent()).to.not.include(w.A.resellerAccount);
    pa.expectNoConsoleErrors([/^POST \/v1\/issuance-requests 403$/]); // the R6 refusal shown above
  });

  it('R5: an account deactivated after it was ticked is named in the refusal', async () => {
    const { named } = await submitRefused(tpl.spring, ['cust2-a', 'late-off'], async () => {
      await harness.ds.query(`UPDATE accounts SET status = 'deactivated' WHERE id = $1`, [lateOff]);
    });
    expect(named).to.deep.equal(['late-off']);
    pa.expectNoConsoleErrors([/^POST \/v1\/issuance-requests 409$/]); // the deactivated account, refused
  });
});
