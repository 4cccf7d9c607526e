import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { useWorkers } from '../support/jobs';
import { createTemplate, ensureProducts } from '../support/coupons-world';
import { fingerprint } from '../support/db-fingerprint';
import { thisQuarter } from '../support/budgets-world';
import { expectEveryFieldLabelled, signInThroughForm, useBrowser, waitForFocus, type TrackedPage } from './support/browser';
import { clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';
import { fillIssuanceForm } from './support/portal-steps';

/**
 * Budgets in the web app (R5, R36) on the real stack: the distributor's admin allocates part of
 * its partner-borne budget to its reseller and changes it, refusals say why with the figures, the
 * reseller reads its allocation and ledger, the Issue page says what is left before sending, and
 * the BD grants vendor-borne budget. The distributor's tests run in order, as one session.
 */
describe('web: budgets, allocations and what is left to issue (R5 R36), in Chromium', () => {
  const web = useBrowser(__filename);
  const workers = useWorkers();
  let w: World;
  let pa: TrackedPage;
  let distributorBudget: string;
  let resellerName: string;
  let resellerRequest: string;
  const quarter = () => {
    const { start } = thisQuarter();
    return `Q${start.getUTCMonth() / 3 + 1} ${start.getUTCFullYear()}`;
  };

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await givePasswords([w.A.pa, w.A.ra, w.bd]);
    await clearSignInFailures();
    const granted = await as(w.admin.token).post(`/v1/partners/${w.A.partner}/budgets`, { kind: 'partner', currency: 'USD', amount: '100000', reason: 'Q plan' });
    expect(granted.status, JSON.stringify(granted.body)).to.equal(201);
    distributorBudget = granted.body.id;
    resellerName = (await as(w.A.pa.token).get(`/v1/partners/${w.A.reseller}`)).body.name;
    pa = await web.newPage();
    await signInThroughForm(pa.page, w.A.pa.email, WEB_PASSWORD);
  });

  const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  /** The figure a budget page states under `name` ("Left", "Allocated to resellers", ...). */
  const fact = (page: Page, name: string) => page.locator('.budget-facts div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');
  const resellerRow = (page: Page) => page.getByRole('table', { name: 'Allocations of this budget per reseller' }).getByRole('row').filter({ hasText: resellerName });
  const figures = async (id: string) => {
    const res = await as(w.admin.token).get(`/v1/budgets/${id}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { amount: string; allocated: string; reserved: string; committed: string; available: string };
  };
  const allocationOf = async () => {
    const res = await as(w.A.pa.token).get(`/v1/partners/${w.A.reseller}/budgets?kind=partner`);
    return res.body.items as { id: string; amount: string; committed: string; available: string }[];
  };

  it('R36: the distributor admin allocates to a reseller and changes the allocation; the figures follow', async () => {
    const { page } = pa;
    await nav(page, 'Budgets');
    await page.getByRole('heading', { level: 1, name: 'Budgets' }).waitFor();
    const row = page.getByRole('table', { name: 'Your budgets, newest period first' }).getByRole('row').filter({ hasText: 'Partner-borne' });
    await row.waitFor();
    const text = (await row.textContent())!;
    expect(text).to.include('USD').and.include(`${quarter()} (`).and.include('UTC').and.include('$1,000.00');
    await row.getByRole('link', { name: /^Ledger and resellers/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Partner-borne budget in USD' }).waitFor();
    expect(await fact(page, 'Left').textContent()).to.equal('$1,000.00');
    await resellerRow(page).filter({ hasText: '—' }).waitFor();
    await expectEveryFieldLabelled(page);

    const form = page.getByRole('form', { name: 'Allocate to a reseller' });
    await form.getByLabel('Reseller').selectOption({ label: resellerName });
    await form.getByLabel('Amount (USD)').fill('250');
    await form.getByLabel('Reason').fill('for the spring push');
    await form.getByRole('button', { name: 'Allocate' }).click();
    await page.getByRole('status').filter({ hasText: `Allocated $250.00 to ${resellerName}: it now has $250.00 for this period.` }).waitFor();
    await fact(page, 'Left').filter({ hasText: '$750.00' }).waitFor();
    expect(await fact(page, 'Allocated to resellers').textContent()).to.equal('$250.00');
    await resellerRow(page).filter({ hasText: '$250.00' }).waitFor();
    const ledger = page.getByRole('table', { name: 'Every movement of the budget, oldest first' });
    await ledger.getByRole('row').filter({ hasText: 'Allocated to a reseller' }).filter({ hasText: 'for the spring push' }).filter({ hasText: w.A.pa.email }).waitFor();
    expect(await figures(distributorBudget)).to.deep.include({ amount: '100000', allocated: '25000', available: '75000' });

    await resellerRow(page).getByRole('button', { name: `Change the allocation of ${resellerName}` }).click();
    const change = page.getByRole('form', { name: `Change the allocation of ${resellerName}` });
    await waitForFocus(page, 'input[inputmode=decimal]');
    const amount = change.getByLabel('New allocation (USD)');
    expect(await amount.inputValue()).to.equal('250.00');
    await amount.fill('100');
    await change.getByLabel('Reason for the change').fill('cut back');
    await web.screenshot(page, '1-change-allocation');
    await change.getByRole('button', { name: 'Save the new allocation' }).click();
    await page.getByRole('status').filter({ hasText: `The allocation of ${resellerName} is now $100.00 (it was $250.00).` }).waitFor();
    await fact(page, 'Left').filter({ hasText: '$900.00' }).waitFor();
    await resellerRow(page).filter({ hasText: '$100.00' }).waitFor();
    await ledger.getByRole('row').filter({ hasText: 'Taken back from a reseller' }).filter({ hasText: '$150.00' }).waitFor();
    expect(await figures(distributorBudget)).to.deep.include({ allocated: '10000', available: '90000' });
    expect((await allocationOf()).map((b) => b.amount)).to.deep.equal(['10000']);
    pa.expectNoConsoleErrors();
  });

  it('R36: a too-large allocation and a change below what the reseller holds are refused in sentences with the figures; nothing changes', async () => {
    const { page } = pa;
    // The reseller issues $30.00 out of its allocation: the allocation cannot go below that.
    const tpl = await createTemplate(w.A.ra, { name: 'Reseller credit', costBearer: 'partner', faceValue: '3000' });
    const req = await as(w.A.ra.token).post('/v1/issuance-requests', { templateId: tpl.id, accountIds: [w.A.resellerCustomer] });
    expect(req.status, JSON.stringify(req.body)).to.equal(201);
    resellerRequest = req.body.id;
    expect(await workers.watcher.completion(`issuance.issue-${resellerRequest}`)).to.equal('done');
    await page.reload();
    await resellerRow(page).filter({ hasText: '$30.00' }).waitFor();
    const before = await fingerprint(harness.ds, [w.A.partner]);

    const form = page.getByRole('form', { name: 'Allocate to a reseller' });
    await form.getByLabel('Reseller').selectOption({ label: resellerName });
    await form.getByLabel('Amount (USD)').fill('900.01');
    await form.getByText('That is more than the $900.00 you have left to allocate.').waitFor();
    await form.getByLabel('Reason').fill('one more push');
    await form.getByRole('button', { name: 'Allocate' }).click();
    const refused = form.getByRole('alert').filter({ hasText: 'The allocation was refused' });
    await refused.waitFor();
    const said = (await refused.textContent())!;
    expect(said).to.include('You have $900.00 of partner-borne budget left to allocate, and this needs $900.01 more.');
    expect(said, 'no field paths, codes or minor units').to.not.match(/body\.|allocation_exceeded|minor|90001/);
    await web.screenshot(page, '2-allocation-refused');

    await resellerRow(page).getByRole('button', { name: `Change the allocation of ${resellerName}` }).click();
    const change = page.getByRole('form', { name: `Change the allocation of ${resellerName}` });
    await change.getByLabel('New allocation (USD)').fill('10');
    await change.getByLabel('Reason for the change').fill('cut further');
    await change.getByRole('button', { name: 'Save the new allocation' }).click();
    const below = change.getByRole('alert').filter({ hasText: 'The change was refused' });
    await below.waitFor();
    expect(await below.textContent()).to.include('$30.00 of it is already reserved by open requests, issued or handed on, so it cannot go below that.');

    expect(await fingerprint(harness.ds, [w.A.partner]), 'the refusals wrote nothing').to.deep.equal(before);
    expect(await fact(page, 'Left').textContent()).to.equal('$900.00');
    expect(await resellerRow(page).textContent()).to.include('$100.00');
    pa.expectNoConsoleErrors([/^POST \/v1\/partners\/[0-9a-f-]+\/budgets 422$/, /^PATCH \/v1\/budgets\/[0-9a-f-]+ 422$/]);
  });

  it('R36: a reseller user sees its allocation and its ledger: who, why, which request', async () => {
    const ra = await web.newPage();
    const { page } = ra;
    await signInThroughForm(page, w.A.ra.email, WEB_PASSWORD);
    await nav(page, 'Budgets');
    const table = page.getByRole('table', { name: 'Your budgets, newest period first' });
    const row = table.getByRole('row').filter({ hasText: 'Partner-borne' });
    await row.waitFor();
    expect(await table.getByRole('columnheader', { name: 'Allocated to resellers' }).count(), 'a reseller hands nothing on').to.equal(0);
    const text = (await row.textContent())!;
    expect(text).to.include('from your distributor').and.include(`${quarter()} (`).and.include('$100.00').and.include('$30.00').and.include('$70.00');
    await row.getByRole('link', { name: /^Ledger/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Partner-borne budget in USD' }).waitFor();
    expect(await fact(page, 'Allocated to you by your distributor').textContent()).to.equal('$100.00');
    expect(await fact(page, 'Left').textContent()).to.equal('$70.00');
    expect(await page.getByRole('form', { name: 'Allocate to a reseller' }).count(), 'nothing to allocate').to.equal(0);

    const ledger = page.getByRole('table', { name: 'Every movement of the budget, oldest first' });
    await ledger.getByRole('row').nth(4).waitFor();
    const lines = (await ledger.getByRole('row').allTextContents()).slice(1);
    expect(lines).to.have.length(4);
    const [grantLine, lowerLine, reserveLine, issueLine] = lines as [string, string, string, string];
    const [{ name }] = await harness.ds.query(`SELECT name FROM users WHERE id = $1`, [w.A.pa.id]);
    expect(grantLine).to.include('Granted').and.include('$250.00').and.include(name).and.include(w.A.pa.email).and.include('for the spring push');
    expect(lowerLine).to.include('Lowered').and.include('$150.00').and.include('cut back');
    expect(reserveLine).to.include('Reserved').and.include('$30.00').and.include('Automatically');
    expect(issueLine).to.include('Issued').and.include('$30.00');
    await web.screenshot(page, '3-reseller-ledger');
    await ledger.getByRole('row').nth(3).getByRole('link', { name: `Request ${resellerRequest.slice(0, 8)}` }).click();
    await page.waitForURL(`**/portal/requests/${resellerRequest}`);
    await page.locator('.request-status .badge').waitFor();
    ra.expectNoConsoleErrors();
  });

  it('R5 R36: the Issue page shows what is left of the budget the request draws on, warns before sending one past it, and says why it was refused', async () => {
    const { page } = pa;
    await createTemplate(w.A.pa, { name: 'Big credit', costBearer: 'partner', faceValue: '50000' });
    const count = async () => Number((await harness.ds.query(`SELECT count(*) AS n FROM issuance_requests WHERE partner_id = $1`, [w.A.partner]))[0].n);
    const total = await fillIssuanceForm(page, { templateName: 'Big credit', accountNames: ['cust1-a', 'cust2-a'] });
    expect(total).to.equal('$1,000.00');
    const summary = page.locator('.issue-summary');
    await summary.getByText(`Left of your partner-borne budget for ${quarter()} (`).waitFor();
    expect(await summary.locator('.budget-left').textContent()).to.include('UTC').and.include('$900.00');
    const warning = summary.locator('.budget-warning');
    expect(await warning.textContent()).to.include('This request needs $1,000.00, more than the $900.00 left of your partner-borne budget: it will be refused');
    await web.screenshot(page, '4-issue-past-budget');

    const before = await count();
    await page.getByRole('button', { name: 'Submit request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Submit this request?' });
    expect(await dialog.locator('.budget-warning').textContent()).to.include('more than the $900.00 left');
    await dialog.getByRole('button', { name: 'Yes, submit request' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The request was refused' });
    await alert.waitFor();
    expect(await alert.textContent()).to.include('This request needs $1,000.00, but only $900.00 is left of the partner-borne budget it draws on.');
    expect(await count(), 'nothing written').to.equal(before);

    // One subaccount fewer fits: no warning.
    await page.getByRole('checkbox', { name: /^cust2-a \(/ }).uncheck();
    await warning.waitFor({ state: 'detached' });
    expect(await summary.locator('.budget-left').textContent()).to.include('$900.00');
    pa.expectNoConsoleErrors([/^POST \/v1\/issuance-requests 409$/]); // the budget refusal shown above
  });

  it('R36: the BD grants vendor-borne budget to one of its partners, for the current quarter or a period it gives', async () => {
    const bd = await web.newPage();
    const { page } = bd;
    await signInThroughForm(page, w.bd.email, WEB_PASSWORD);
    await nav(page, 'Budgets');
    await page.getByRole('heading', { level: 1, name: 'Budgets' }).waitFor();
    const partnerName = (await as(w.bd.token).get(`/v1/partners/${w.A.partner}`)).body.name as string;
    const partner = page.getByLabel('Partner', { exact: true });
    await partner.locator('option').filter({ hasText: partnerName }).waitFor({ state: 'attached' });
    expect(await partner.locator('option').filter({ hasText: resellerName }).count(), 'resellers get no vendor-borne budget').to.equal(0);
    await partner.selectOption({ label: partnerName });
    const table = page.getByRole('table', { name: `Budgets of ${partnerName}, newest period first` });
    await table.getByRole('row').filter({ hasText: 'Partner-borne' }).waitFor();
    await expectEveryFieldLabelled(page);

    await page.getByLabel('Amount to grant').fill('5,000');
    await page.getByLabel('Reason', { exact: true }).fill('Q plan for the vendor fund');
    await page.getByRole('button', { name: 'Grant vendor-borne budget' }).click();
    await page.getByRole('status').filter({ hasText: `Granted $5,000.00 of vendor-borne budget to ${partnerName} for ${quarter()} (` }).waitFor();
    const vendorRow = table.getByRole('row').filter({ hasText: 'Vendor-borne' }).filter({ hasText: quarter() });
    await vendorRow.waitFor();
    expect(await vendorRow.textContent()).to.include('$5,000.00');

    await page.getByLabel('Amount to grant').fill('1200');
    await page.getByLabel('Reason', { exact: true }).fill('a campaign of our own');
    await page.getByLabel('First day (UTC)').fill('2030-02-01');
    await page.getByLabel('Last day (UTC)').fill('2030-02-28');
    await page.getByRole('button', { name: 'Grant vendor-borne budget' }).click();
    await page.getByRole('status').filter({ hasText: 'for 1 Feb 2030 – 28 Feb 2030 (UTC)' }).waitFor();
    await table.getByRole('row').filter({ hasText: '1 Feb 2030 – 28 Feb 2030 (UTC)' }).filter({ hasText: '$1,200.00' }).waitFor();
    await web.screenshot(page, '5-bd-grant');

    const vendor = (await as(w.bd.token).get(`/v1/partners/${w.A.partner}/budgets?kind=vendor`)).body.items as { id: string; amount: string; periodStart: string; periodEnd: string }[];
    expect(vendor.map((b) => [b.amount, b.periodStart, b.periodEnd])).to.deep.equal([
      ['120000', '2030-02-01T00:00:00.000Z', '2030-03-01T00:00:00.000Z'],
      ['500000', thisQuarter().start.toISOString(), thisQuarter().end.toISOString()],
    ]);
    const ledger = (await as(w.bd.token).get(`/v1/budgets/${vendor[1]!.id}/ledger`)).body.items as { type: string; by: { email: string } | null; reason: string | null }[];
    expect(ledger.map((e) => [e.type, e.by?.email, e.reason])).to.deep.equal([['grant', w.bd.email, 'Q plan for the vendor fund']]);
    bd.expectNoConsoleErrors();
  });
});
