import { expect } from 'chai';
import { harness } from '../support/harness';
import { as } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { ensureProducts, insertCoupon, ledgerMismatches } from '../support/coupons-world';
import { expectEveryFieldLabelled, signInThroughForm, useBrowser, type TrackedPage } from './support/browser';
import { clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';
import { expectCouponInWallet, payWithCoupon } from './support/billing-steps';
import { couponChange, debitable, ledgerRows } from '../../src/coupons/ledger.sql';
import { first } from '../../src/db/rows';

const DAY = 86_400_000;

/**
 * R13-R30 in the browser: an account_finance person's billing view on the real stack. The tests run
 * in order as one session: the wallet and a ledger, a checkout with a chosen coupon (paid with a
 * double click: one order), a five-day refund of it, the statements; then an account_member.
 */
describe('web: subaccount billing (R13-R30), in Chromium', () => {
  const web = useBrowser(__filename);
  let w: World;
  let fin: TrackedPage;
  let compute: string; // product coupon for cvm, $50, prepaid + payg
  let welcome: string; // general coupon, $20, min spend $10, ends in 10 days
  let usage: string; // pay-as-you-go coupon that paid $5.00 of the world's bill
  let orderId: string;

  const named = (id: string, name: string) => harness.ds.query(`UPDATE coupons SET rules = jsonb_build_object('templateName', $2::text) WHERE id = $1`, [id, name]);
  const balance = async (id: string) => first((await harness.ds.query(`SELECT balance::text FROM coupons WHERE id = $1`, [id])) as { balance: string }[]).balance;

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await givePasswords([w.A.af, w.A.am]);
    await clearSignInFailures();
    const like = w.A.couponD;
    compute = await insertCoupon(like, w.A.account, { balance: 5000, productCodes: ['cvm'], billingModes: ['prepaid', 'payg'], maxDurationMonths: 12, issuedAt: new Date(Date.now() - 3000) });
    welcome = await insertCoupon(like, w.A.account, { balance: 2000, productCodes: [], minSpend: 1000, validUntil: new Date(Date.now() + 10 * DAY), issuedAt: new Date(Date.now() - 2000) });
    const old = await insertCoupon(like, w.A.account, { balance: 1500, validFrom: new Date(Date.now() - 40 * DAY), validUntil: new Date(Date.now() - 10 * DAY), issuedAt: new Date(Date.now() - 40 * DAY) });
    usage = await insertCoupon(like, w.A.account, { balance: 5000, productCodes: [], billingModes: ['payg'], issuedAt: new Date(Date.now() - 1000) });
    await named(compute, 'Compute credit');
    await named(welcome, 'Welcome credit');
    await named(old, 'Spring promo 2025');
    await named(usage, 'Usage credit');
    await harness.ds.query(`UPDATE coupons SET status = 'expired' WHERE id = $1`, [old]);
    // The world's pay-as-you-go bill ($7.00) was covered $5.00 by "Usage credit" (R23, R25).
    await harness.ds.query(`UPDATE bills SET coupon_deduction = 500, cash_due = 200 WHERE id = $1`, [w.A.billD]);
    await harness.ds.query(
      `WITH c AS (${couponChange({ balance: 'c.balance - 500', status: 'c.status', where: `c.id = $1 AND ${debitable('500')}`, returning: 'c.tenant_id, c.id, c.account_id, c.balance' })})
       ${ledgerRows({ type: 'deduct', from: 'c', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: '-500', after: 'balance', bill: '$2' })}`,
      [usage, w.A.billD],
    );
    fin = await web.newPage();
  });

  it('R13 R14 R25: finance signs in, sees the wallet with status, balance, validity and terms, filters it, opens a ledger and downloads it', async () => {
    const { page } = fin;
    await signInThroughForm(page, w.A.af.email, WEB_PASSWORD);
    await page.waitForURL('**/billing/wallet');
    const row = await expectCouponInWallet(page, { templateName: 'Compute credit' });
    expect(await row.textContent()).to.include('Available').and.include('$50.00').and.include('Cloud Virtual Machine').and.include('Longest subscription: 12 months');
    const welcomeRow = await expectCouponInWallet(page, { templateName: 'Welcome credit' });
    expect(await welcomeRow.textContent()).to.include('$20.00').and.include('General').and.include('order total above $10.00');
    const oldRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Spring promo 2025' }) });
    expect(await oldRow.textContent()).to.include('Expired').and.include('Ended');
    await expectEveryFieldLabelled(page);
    await web.screenshot(page, '1-wallet');

    // Filters: status, then a product (product coupons for it and general ones), then expiring before.
    await page.getByLabel('Status').selectOption({ label: 'Expired' });
    await page.getByRole('link', { name: 'Compute credit' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('link', { name: 'Spring promo 2025' }).count()).to.equal(1);
    await page.getByLabel('Status').selectOption({ label: 'Available' });
    await page.getByLabel('Can pay for product').selectOption({ label: 'Managed MySQL' });
    await page.getByRole('link', { name: 'Compute credit' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Welcome credit' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    const in15days = new Date(Date.now() + 15 * DAY).toISOString().slice(0, 10);
    await page.getByLabel('Expiring before').fill(in15days);
    await page.getByRole('link', { name: 'Compute credit' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Welcome credit' }).waitFor();
    await web.screenshot(page, '2-wallet-filtered');
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // The ledger of the coupon that paid a bill.
    await page.getByRole('link', { name: 'Usage credit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Coupon: Usage credit' }).waitFor();
    const ledger = page.getByRole('table', { name: /Every change of the balance/ });
    await ledger.waitFor();
    const rows = ledger.getByRole('row');
    expect(await rows.count()).to.equal(3);
    expect(await rows.nth(1).textContent()).to.include('Issued').and.include('+$50.00');
    expect(await rows.nth(2).textContent()).to.include('Deducted').and.include('−$5.00').and.include('$45.00').and.include(`Bill ${w.A.billD.slice(0, 8)}`);
    await expectEveryFieldLabelled(page);
    await web.screenshot(page, '3-ledger');
    const link = page.getByRole('link', { name: 'Download the ledger (CSV)' });
    expect(await link.getAttribute('download')).to.be.a('string');
    const csv = await page.request.get((await link.getAttribute('href'))!);
    expect(csv.status()).to.equal(200);
    expect(csv.headers()['content-type']).to.include('text/csv');
    const text = await csv.text();
    expect(text).to.include('deduct').and.include('-500').and.include(w.A.billD);
    fin.expectNoConsoleErrors();
  });

  it('R21 R22 R26: checkout quotes the applicable coupons in priority with their deductions; paying with a chosen coupon by double click makes one order', async () => {
    const { page } = fin;
    await page.goto('/billing/checkout');
    await page.getByLabel('Product (item 1)').selectOption({ label: 'Cloud Virtual Machine' });
    // A typo is caught on the page, under the field, before any call.
    await page.getByLabel('Amount in USD (item 1)').fill('30.001');
    await page.getByRole('button', { name: 'Get quote' }).click();
    await page.getByText('Use at most 2 decimals for USD').waitFor();
    expect(await page.getByLabel('Amount in USD (item 1)').getAttribute('aria-invalid')).to.equal('true');
    await page.getByLabel('Amount in USD (item 1)').fill('30.00');
    await page.getByRole('button', { name: 'Get quote' }).click();
    const result = page.locator('section.checkout-quote-result');
    await result.getByRole('heading', { name: /Quote: \$30\.00 in total/ }).waitFor();
    const radios = result.getByRole('radio');
    expect(await radios.count()).to.equal(4); // best, Compute credit, Welcome credit, none
    const labels = await result.locator('.checkout-option label').allTextContents();
    expect(labels).to.deep.equal(['Best coupon', 'Compute credit', 'Welcome credit', 'No coupon']);
    const opts = await result.locator('.checkout-option').allTextContents();
    expect(opts[1]).to.include('deducts $30.00').and.include('you pay $0.00');
    expect(opts[2]).to.include('deducts $20.00').and.include('you pay $10.00');
    await expectEveryFieldLabelled(page);
    await web.screenshot(page, '4-quote');

    // The shared step: quote again and pay with "Welcome credit"... by double click.
    const before = await balance(welcome);
    expect(before).to.equal('2000');
    ({ orderId } = await payWithCoupon(page, { productName: 'Cloud Virtual Machine', amount: '30.00', couponLabel: 'Welcome credit', doubleClick: true }));
    const paid = page.locator('section.checkout-paid');
    const text = await paid.textContent();
    expect(text).to.include('Total$30.00').and.include('Coupon deduction$20.00').and.include('Paid in cash$10.00').and.include('Welcome credit');
    await web.screenshot(page, '5-paid');
    const orders: { id: string; coupon_deduction: string; cash: string }[] = await harness.ds.query(
      `SELECT id, coupon_deduction::text, cash::text FROM orders WHERE account_id = $1 AND coupon_id = $2`,
      [w.A.account, welcome],
    );
    expect(orders, 'one order for the double click').to.have.length(1);
    expect(orders[0]).to.deep.include({ id: orderId, coupon_deduction: '2000', cash: '1000' });
    expect(fin.apiCalls.filter((c) => c === 'POST /v1/orders').length).to.be.at.most(2);
    expect(await balance(welcome)).to.equal('0'); // dropped by exactly the deduction
    expect(await ledgerMismatches([welcome, compute])).to.deep.equal([]);

    // The wallet shows it too, and so does the API.
    const row = await expectCouponInWallet(page, { templateName: 'Welcome credit' });
    expect(await row.textContent()).to.include('$0.00').and.include('of $20.00');
    const api = await as(w.A.af.token).get(`/v1/coupons/${welcome}`);
    expect(api.body.balance).to.equal('0');
    fin.expectNoConsoleErrors();
  });

  it('R27: a refund within five days shows its quote, then returns the cash and the coupon deduction', async () => {
    const { page } = fin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.getByRole('link', { name: `Order ${orderId.slice(0, 8)}` }).click();
    await page.getByRole('heading', { level: 1, name: `Order ${orderId.slice(0, 8)}` }).waitFor();
    await page.getByRole('button', { name: 'Request refund' }).click();
    const section = page.locator('section.refund-section');
    await section.getByText(/^Five-day full refund:/).waitFor();
    const terms = await section.locator('.refund-terms').textContent();
    expect(terms).to.include('Refunded in cash$10.00').and.include('Returned to the coupon$20.00');
    await expectEveryFieldLabelled(page);
    await web.screenshot(page, '6-refund-quote');
    await section.getByLabel('Reason (optional)').fill('Ordered the wrong size');
    await section.getByRole('button', { name: 'Confirm refund' }).click();
    await section.getByText(/Refunded .* \(five-day full refund\)/).waitFor();
    expect(await page.locator('.facts').first().textContent()).to.include('Refunded');
    await web.screenshot(page, '7-refunded');
    expect(await balance(welcome)).to.equal('2000');
    const order = await as(w.A.af.token).get(`/v1/orders/${orderId}`);
    expect(order.body.status).to.equal('refunded');
    fin.expectNoConsoleErrors();
  });

  it('R24 R20: the daily and monthly statements show each line with coupon deductions, which coupons, cash due and totals; an overdue bill is marked', async () => {
    const { page } = fin;
    const overdue: { id: string }[] = await harness.ds.query(
      `INSERT INTO bills (tenant_id, id, account_id, partner_id, cycle_id, product_code, currency, period_start, period_end, amount, cash_due, due_at, status)
       SELECT tenant_id, gen_random_uuid(), account_id, partner_id, cycle_id, 'mysql', currency, period_start, period_end, 300, 300, now() - interval '1 day', 'overdue'
         FROM bills WHERE id = $1 RETURNING id`,
      [w.A.billD],
    );
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statements' }).click();
    await page.getByRole('heading', { level: 1, name: 'Statements' }).waitFor();
    await page.getByLabel('Period').selectOption('daily');
    await page.getByLabel('Day').fill(new Date().toISOString().slice(0, 10));
    const lines = page.getByRole('table', { name: /bills and orders/ });
    await lines.waitFor();
    await lines.getByText('Overdue').waitFor();
    const bill = lines.getByRole('row').filter({ hasText: `Pay-as-you-go bill ${w.A.billD.slice(0, 8)}` });
    expect(await bill.textContent()).to.include('$7.00').and.include('Usage credit: $5.00').and.include('$2.00');
    const ours = lines.getByRole('row').filter({ hasText: `Prepaid order ${orderId.slice(0, 8)}` });
    expect(await ours.textContent()).to.include('$30.00').and.include('Welcome credit: $20.00').and.include('$10.00');
    expect(await lines.getByRole('row').filter({ hasText: `bill ${first(overdue).id.slice(0, 8)}` }).textContent()).to.include('Overdue');
    await page.getByRole('alert').filter({ hasText: 'overdue bill' }).waitFor();
    // Lines: world bill $7 (coupon $5, cash $2), overdue bill $3, world order $10 cash, ours $30 ($20 + $10).
    const totals = page.getByRole('table', { name: 'Totals per currency' });
    expect(await totals.getByRole('row').nth(1).textContent()).to.equal('USD$50.00$25.00$25.00');
    await page.getByRole('table', { name: 'Refunds in this period' }).waitFor();
    await expectEveryFieldLabelled(page);
    await web.screenshot(page, '8-statement-day');

    await page.getByLabel('Period').selectOption('monthly');
    await page.getByRole('table', { name: /^Month from/ }).waitFor();
    expect(await page.getByRole('table', { name: 'Totals per currency' }).getByRole('row').nth(1).textContent()).to.equal('USD$50.00$25.00$25.00');
    await expectEveryFieldLabelled(page);
    await web.screenshot(page, '9-statement-month');
    const csvHref = await page.getByRole('link', { name: 'Download the statement (CSV)' }).getAttribute('href');
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).to.equal(200);
    expect(await csv.text()).to.include(orderId).and.include(w.A.billD);
    fin.expectNoConsoleErrors();
  });

  it('R3: an account_member is told the web app has no billing view for their role', async () => {
    const t = await web.newPage();
    await signInThroughForm(t.page, w.A.am.email, WEB_PASSWORD);
    await t.page.getByRole('heading', { level: 1, name: 'No web view for your role yet' }).waitFor();
    await t.page.goto('/billing/checkout');
    await t.page.getByRole('heading', { level: 1, name: 'Not available for your role' }).waitFor();
    expect(await t.page.getByRole('main').textContent()).to.include('Account member');
    expect(t.apiCalls.filter((c) => c.startsWith('GET /v1/coupons') || c.startsWith('POST /v1/'))).to.deep.equal(['POST /v1/session']);
    await expectEveryFieldLabelled(t.page);
    await web.screenshot(t.page, '10-member');
    t.expectNoConsoleErrors();
  });
});
