import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { useWorkers } from '../support/jobs';
import { createTemplate, ensureProducts, insertCoupon } from '../support/coupons-world';
import { insertLedgerMoves, midMonth, monthsAgo } from '../support/deductions';
import { fingerprint } from '../support/db-fingerprint';
import { expectEveryFieldLabelled, signInThroughForm, useBrowser, type TrackedPage } from './support/browser';
import { clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';
import { confirmIssuance, fillIssuanceForm, submitIssuanceInPortal } from './support/portal-steps';
import { first } from '../../src/db/rows';

/**
 * The distributor portal on the real stack (express serving web/dist, PostgreSQL, the relay and
 * BullMQ workers): a tier-1 partner admin finds subaccounts, creates a template through the form,
 * issues it; a tier-2 reseller cannot make a vendor-borne template; the usage page's numbers.
 * The distributor's tests run in order, as one session.
 */
describe('web: the distributor portal (R1 R4-R9 R12 R24), in Chromium', () => {
  const web = useBrowser(__filename);
  let w: World;
  const workers = useWorkers();
  let pa: TrackedPage;
  const [m1, m0] = [monthsAgo(1), monthsAgo(0)];

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await givePasswords([w.A.pa, w.A.ra]);
    await clearSignInFailures();
    // Deductions for the usage page: cust1-a last month and this month (with a refund returned), cust2-a this month.
    const c1 = await insertCoupon(w.A.couponD, w.A.account, { balance: 100_000 });
    const c2 = await insertCoupon(w.A.couponD, w.A.account2, { balance: 100_000 });
    await insertLedgerMoves(c1, [
      { type: 'deduct', amount: 1234, at: midMonth(m1) },
      { type: 'deduct', amount: 2500, at: midMonth(m0) },
      { type: 'return', amount: 500, at: midMonth(m0) },
    ]);
    await insertLedgerMoves(c2, [{ type: 'deduct', amount: 700, at: midMonth(m0) }]);
    pa = await web.newPage();
    await signInThroughForm(pa.page, w.A.pa.email, WEB_PASSWORD);
  });

  const nav = (page: TrackedPage['page'], name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  const rows = (page: TrackedPage['page']) => page.locator('table.data-table tbody tr');

  it('R1: the partner admin finds subaccounts by name and by kind', async () => {
    const { page } = pa;
    expect(new URL(page.url()).pathname).to.match(/^\/portal/);
    await nav(page, 'Subaccounts');
    await page.getByRole('heading', { level: 1, name: 'Subaccounts' }).waitFor();
    await rows(page).nth(2).waitFor();
    expect(await rows(page).count()).to.equal(3); // cust1-a, cust2-a, res-acct-a (the reseller's own customer is not the distributor's)
    await page.getByLabel('Name contains').fill('cust2');
    await rows(page).filter({ hasText: 'cust1-a' }).waitFor({ state: 'detached' });
    expect(await rows(page).count()).to.equal(1);
    expect(await rows(page).first().textContent()).to.include('cust2-a').and.include('Customer');
    await page.getByLabel('Name contains').fill('');
    await page.getByLabel('Kind').selectOption('reseller');
    await rows(page).filter({ hasText: 'cust' }).first().waitFor({ state: 'detached' });
    expect(await rows(page).count()).to.equal(1);
    expect(await rows(page).first().textContent()).to.include('res-acct-a').and.include('Reseller');
    await page.getByLabel('Name contains').fill('nobody-by-that-name');
    await page.getByText('No subaccount matches').waitFor();
    expect(await expectEveryFieldLabelled(page)).to.include.members(['Name contains', 'Kind']);
    await web.screenshot(page, '1-accounts');
    pa.expectNoConsoleErrors();
  });

  it('R4: the template form shows its own check under the field, then the API\'s, then creates the template', async () => {
    const { page } = pa;
    await nav(page, 'Templates');
    await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    expect(await expectEveryFieldLabelled(page)).to.include.members(['Name', 'Face value', 'Cost bearer', 'Days valid', 'Currency']);
    const bearerOptions = await page.getByLabel('Cost bearer').locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(bearerOptions).to.deep.equal(['partner', 'vendor']);

    // The page's own check: nothing is sent.
    const calls = pa.apiCalls.length;
    await page.getByLabel('Name', { exact: true }).fill('Portal spring credit');
    await page.getByLabel('Face value').fill('12.345');
    await page.getByLabel('Days valid').fill('0');
    await page.getByRole('button', { name: 'Create template' }).click();
    const faceError = page.getByText('Use at most 2 decimals for USD');
    await faceError.waitFor();
    await page.getByText('Enter a whole number of days, 1 or more.').waitFor();
    const face = page.getByLabel('Face value');
    expect(await face.getAttribute('aria-invalid')).to.equal('true');
    expect((await face.getAttribute('aria-describedby'))!.split(' ')).to.include(await faceError.getAttribute('id'));
    expect(pa.apiCalls.slice(calls).filter((c) => c.startsWith('POST')), 'nothing sent').to.deep.equal([]);
    await web.screenshot(page, '2-template-client-error');

    // What only the API knows (its largest face value) comes back under the field.
    await page.getByLabel('Days valid').fill('30');
    await page.getByLabel('Face value').fill('5000000');
    await page.getByRole('button', { name: 'Create template' }).click();
    const apiError = page.locator('.field-error').filter({ hasText: 'at most 100000000 minor units' });
    await apiError.waitFor();
    expect((await face.getAttribute('aria-describedby'))!.split(' ')).to.include(await apiError.getAttribute('id'));
    await page.getByRole('alert').filter({ hasText: 'please correct the fields marked below' }).waitFor();
    await web.screenshot(page, '3-template-api-error');

    await page.getByLabel('Face value').fill('50');
    await page.getByRole('checkbox', { name: 'Cloud Virtual Machine (cvm)' }).check();
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Template “Portal spring credit” created.' }).waitFor();
    const row = rows(page).filter({ hasText: 'Portal spring credit' });
    await row.waitFor();
    expect(await row.textContent()).to.include('$50.00').and.include('Partner').and.include('30 days from issuance').and.include('cvm').and.include('Active');
    const list = await as(w.A.pa.token).get('/v1/templates?limit=100');
    const made = (list.body.items as { name: string; faceValue: string; costBearer: string; productCodes: string[] }[]).find((t) => t.name === 'Portal spring credit');
    expect(made).to.deep.include({ faceValue: '5000', costBearer: 'partner', productCodes: ['cvm'] });
    pa.expectNoConsoleErrors([/^POST \/v1\/templates 400$/]); // the API's own field error, shown above
  });

  it('R5 R9 R12: a partner-borne issue to 3 subaccounts shows the total first, then its progress, and ends issued', async () => {
    const { page } = pa;
    const total = await fillIssuanceForm(page, { templateName: 'Portal spring credit', accountNames: ['cust1-a', 'cust2-a', 'res-acct-a'] });
    expect(total).to.equal('$150.00');
    expect(await page.locator('.issue-total').textContent()).to.include('3 × $50.00');
    expect(await expectEveryFieldLabelled(page)).to.include.members(['Template', 'Search subaccounts by name', 'cust1-a (customer)']);
    await web.screenshot(page, '4-issue-form');
    await confirmIssuance(page, { templateName: 'Portal spring credit', accountCount: 3, total });
    await page.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    // The page polls while the workers issue: the labelled progress bar, then the final state.
    await page.locator('.request-status progress').waitFor();
    expect(await workers.watcher.completion(`issuance.issue-${id}`)).to.equal('done');
    await page.locator('.request-status .badge').filter({ hasText: /^Issued$/ }).waitFor();
    const progress = page.getByRole('progressbar', { name: '3 of 3 issued' });
    await progress.waitFor();
    expect(await progress.getAttribute('value')).to.equal('3');
    await rows(page).filter({ hasText: 'res-acct-a' }).waitFor();
    expect(await page.locator('table.data-table').first().textContent()).to.include('cust1-a').and.include('$50.00');
    expect(await page.getByRole('button', { name: 'Cancel request' }).count(), 'an issued request cannot be cancelled').to.equal(0);
    await web.screenshot(page, '5-issued');
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${id}`)).body).to.deep.include({ status: 'issued', totalFaceValue: '15000' });
    // The list shows it issued too, and stops polling (nothing is settling).
    await nav(page, 'Requests');
    await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    const row = rows(page).filter({ hasText: 'Portal spring credit' });
    await row.waitFor();
    expect(await row.textContent()).to.include('Issued').and.include('$150.00').and.include('3 of 3 issued');
    expect(await expectEveryFieldLabelled(page)).to.include('Status');
    pa.expectNoConsoleErrors();
  });

  it('R5 R9: a vendor-borne request waits for the BD; the partner can cancel it before the decision', async () => {
    const { page } = pa;
    await createTemplate(w.A.pa, { name: 'Vendor growth fund', costBearer: 'vendor', faceValue: '7500' });
    const { requestId, total } = await submitIssuanceInPortal(page, { templateName: 'Vendor growth fund', accountNames: ['cust1-a', 'cust2-a'] });
    expect(total).to.equal('$150.00');
    await page.locator('.request-status .badge').filter({ hasText: 'Waiting for approval' }).waitFor();
    expect(await page.locator('.request-status').textContent()).to.include('Waiting for your BD');
    expect(await workers.watcher.completion(`issuance.route-${requestId}`)).to.equal('done');
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${requestId}`)).body.status).to.equal('pending_approval');
    await web.screenshot(page, '6-pending');
    await page.getByRole('button', { name: 'Cancel request' }).click();
    await page.getByRole('dialog', { name: 'Cancel this request?' }).getByRole('button', { name: 'Yes, cancel request' }).click();
    await page.locator('.request-status .badge').filter({ hasText: 'Cancelled' }).waitFor();
    expect((await as(w.A.pa.token).get(`/v1/issuance-requests/${requestId}`)).body.status).to.equal('cancelled');
    await rows(page).filter({ hasText: 'cancelled by the partner' }).waitFor();
    pa.expectNoConsoleErrors();
  });

  it('R24: the usage page charts deductions per month, tables them exactly, and offers the coupon report CSV', async () => {
    const { page } = pa;
    await nav(page, 'Usage');
    await page.getByRole('heading', { level: 1, name: 'Usage' }).waitFor();
    const table = page.getByRole('table', { name: 'Deductions per month and subaccount' });
    await table.waitFor();
    const text = (await table.locator('tbody tr').allTextContents()).map((t) => t.replace(/\s+/g, ' '));
    expect(text).to.deep.equal([`${m1}cust1-a$12.34$0.00$12.34`, `${m0}cust1-a$25.00$5.00$20.00`, `${m0}cust2-a$7.00$0.00$7.00`]);
    // Six bars (the last 6 months), of which the two with deductions have height; their amounts exactly.
    expect(await page.locator('.usage-chart .recharts-bar-rectangle path').count()).to.equal(2);
    expect(await page.locator('.usage-month-totals li').allTextContents()).to.include.members([`${m1}: $12.34`, `${m0}: $32.00`]);
    expect(await expectEveryFieldLabelled(page)).to.include.members(['Period', 'Subaccount']);
    await web.screenshot(page, '7-usage');

    const link = page.getByRole('link', { name: `Coupon report ${m0} (CSV)` });
    expect(await link.getAttribute('download')).to.not.equal(null);
    const res = await pa.context.request.get(new URL((await link.getAttribute('href'))!, harness.baseUrl).toString());
    expect(res.status()).to.equal(200);
    expect(res.headers()['content-type']).to.include('text/csv');
    const csv = await res.text();
    expect(first(csv.split('\n')).trim()).to.equal('accountId,accountName,templateId,templateName,currency,deducted,returned,net');
    expect(csv).to.include(`${w.A.account},cust1-a,`).and.include(',USD,2500,500,2000');

    await page.getByLabel('Subaccount').selectOption({ label: 'cust2-a' });
    await table.locator('tbody tr').filter({ hasText: 'cust1-a' }).first().waitFor({ state: 'detached' });
    expect(await table.locator('tbody tr').count()).to.equal(1);
    pa.expectNoConsoleErrors();
  });

  it('R6: a tier-2 reseller\'s form has no vendor-borne option; forcing one shows the API\'s refusal and writes nothing', async () => {
    const ra = await web.newPage();
    const { page } = ra;
    await signInThroughForm(page, w.A.ra.email, WEB_PASSWORD);
    await page.goto('/portal/templates/new');
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    const bearer = page.getByLabel('Cost bearer');
    const values = await bearer.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(values).to.deep.equal(['partner']);
    expect(await page.getByText('As a reseller, your coupons are partner-borne.').count()).to.equal(1);
    await expectEveryFieldLabelled(page);

    // Forced: an option added to the page's select by hand, as a person editing the DOM would.
    await bearer.evaluate((s) => {
      const doc = (globalThis as unknown as { document: { createElement(t: string): { value: string; textContent: string } } }).document;
      const o = doc.createElement('option');
      o.value = 'vendor';
      o.textContent = 'Vendor (forced)';
      (s as unknown as { appendChild(n: unknown): void }).appendChild(o);
    });
    await bearer.selectOption('vendor');
    await page.getByLabel('Name', { exact: true }).fill('Forced vendor credit');
    await page.getByLabel('Face value').fill('10');
    const before = await fingerprint(harness.ds);
    await page.getByRole('button', { name: 'Create template' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The template was not created' });
    await alert.waitFor();
    expect(await alert.textContent()).to.include('tier-2 reseller cannot create vendor-borne templates');
    expect(await fingerprint(harness.ds)).to.deep.equal(before);
    await web.screenshot(page, '8-reseller-refused');
    ra.expectNoConsoleErrors([/^POST \/v1\/templates 403$/]); // the forced vendor-borne template, refused
  });
});
