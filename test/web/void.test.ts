import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { ensureProducts, issuedRequest } from '../support/coupons-world';
import { expectEveryFieldLabelled, signInThroughForm, useBrowser } from './support/browser';
import { clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';

/**
 * R35 in the browser: a partner admin voids one coupon from the coupon view (a reason is required,
 * then a confirm step), then the rest of the request from the request view; the account's finance
 * user sees "Revoked: <reason>" in the wallet. The tests run in order, as one session each.
 */
describe('web: voiding coupons (R35 R12 R14), in Chromium', () => {
  const web = useBrowser(__filename);
  let w: World;
  let request: string;
  let mine: string; // the coupon of cust1-a (the finance user's account), $20.00 of it used
  let other: string; // the coupon of cust2-a
  const status = async (id: string) => (await harness.ds.query(`SELECT status, balance::text, revoked_reason FROM coupons WHERE id = $1`, [id]))[0];

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await givePasswords([w.A.pa, w.A.af]);
    await clearSignInFailures();
    request = await issuedRequest(w.A.couponD, [w.A.account, w.A.account2]);
    const coupons: { id: string; account_id: string }[] = await harness.ds.query(`SELECT id, account_id FROM coupons WHERE request_id = $1`, [request]);
    mine = coupons.find((c) => c.account_id === w.A.account)!.id;
    other = coupons.find((c) => c.account_id === w.A.account2)!.id;
    const paid = await call('POST', '/v1/orders', {
      token: w.A.af.token,
      body: { currency: 'USD', scenario: 'purchase', items: [{ productCode: 'cvm', amount: '2000' }], coupon: mine },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(paid.status, JSON.stringify(paid.body)).to.equal(201);
  });

  it('R35 R12: the partner admin voids one coupon: no reason is refused on the page, the dialog says what happens, then the coupon and its request show it revoked with the reason', async () => {
    const t = await web.newPage();
    const { page } = t;
    await signInThroughForm(page, w.A.pa.email, WEB_PASSWORD);
    const writes = () => t.apiCalls.filter((c) => c.startsWith('POST') && c !== 'POST /v1/session');
    await page.goto(`${harness.baseUrl}/portal/requests/${request}`);
    await page.getByRole('heading', { level: 2, name: 'Subaccounts' }).waitFor();
    await page.getByRole('link', { name: 'Available coupon of cust1-a' }).click();
    await page.getByRole('heading', { level: 1, name: /^Coupon/ }).waitFor();
    const panel = page.getByRole('region', { name: 'Void this coupon' });

    // No reason: refused here, nothing sent.
    await panel.getByRole('button', { name: 'Void…' }).click();
    await panel.getByText('Give a reason for voiding: the account sees it.').waitFor();
    expect(writes()).to.deep.equal([]);
    expect(await expectEveryFieldLabelled(page)).to.include('Reason for voiding');

    // A reason, the confirm step, and Back first: still nothing sent.
    await panel.getByLabel('Reason for voiding').fill('Sent to the wrong customer');
    await panel.getByRole('button', { name: 'Void…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Void this coupon?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).to.include('$30.00').and.include('Sent to the wrong customer');
    await dialog.getByRole('button', { name: 'Keep' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(writes()).to.deep.equal([]);

    await panel.getByRole('button', { name: 'Void…' }).click();
    await web.screenshot(page, '1-confirm');
    await dialog.getByRole('button', { name: 'Yes, void' }).click();
    await page.getByText('Revoked: Sent to the wrong customer').waitFor();
    await panel.waitFor({ state: 'detached' });
    expect(await status(mine)).to.deep.equal({ status: 'revoked', balance: '0', revoked_reason: 'Sent to the wrong customer' });
    expect(writes()).to.deep.equal([`POST /v1/coupons/${mine}/void`]);

    await page.getByRole('link', { name: '← Its request' }).click();
    const row = page.locator('table.data-table tbody tr').filter({ hasText: 'cust1-a' });
    await row.getByText('Revoked: Sent to the wrong customer').waitFor();
    expect(await row.textContent()).to.include('$20.00'); // the used part stays used
    t.expectNoConsoleErrors();
  });

  it('R35: the partner admin voids the rest of the request in one go; the already revoked coupon is counted, not touched', async () => {
    const t = await web.newPage();
    const { page } = t;
    await signInThroughForm(page, w.A.pa.email, WEB_PASSWORD);
    await page.goto(`${harness.baseUrl}/portal/requests/${request}`);
    const panel = page.getByRole('region', { name: "Void the request's coupons" });
    await panel.getByLabel('Reason for voiding').fill('Campaign withdrawn');
    await panel.getByRole('button', { name: 'Void…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Void every open coupon of this request?' });
    await dialog.getByRole('button', { name: 'Yes, void' }).click();
    await page.getByRole('status').filter({ hasText: 'Voided 1 coupon' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Voided 1 coupon' }).textContent()).to.include('$50.00 taken off').and.include('1 already revoked');
    await page.locator('table.data-table tbody tr').filter({ hasText: 'cust2-a' }).getByText('Revoked: Campaign withdrawn').waitFor();
    expect(await status(other)).to.deep.equal({ status: 'revoked', balance: '0', revoked_reason: 'Campaign withdrawn' });
    expect((await status(mine)).revoked_reason).to.equal('Sent to the wrong customer');
    await web.screenshot(page, '2-request');
    t.expectNoConsoleErrors();
  });

  it('R35 R14: the account\'s finance user sees the coupon revoked with the reason in the wallet and on the coupon', async () => {
    const t = await web.newPage();
    const { page } = t;
    await signInThroughForm(page, w.A.af.email, WEB_PASSWORD);
    await page.waitForURL('**/billing/wallet');
    const row = page.locator('table.data-table tbody tr').filter({ hasText: 'Revoked: Sent to the wrong customer' });
    await row.waitFor();
    expect(await row.textContent()).to.include('Revoked');
    await row.getByRole('link').click();
    await page.getByText('Revoked: Sent to the wrong customer').waitFor();
    await web.screenshot(page, '3-wallet-coupon');
    t.expectNoConsoleErrors();
  });
});
