import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { buildWorld, type World } from '../support/world';
import { ensureProducts } from '../support/coupons-world';
import { addReseller, bookIntoMonth, freshMonth, payOrder, settlementCoupons } from '../support/settlement-world';
import { expectEveryFieldLabelled, signInThroughForm, useBrowser, type TrackedPage } from './support/browser';
import { clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';
import { formatMoney } from '../../web/src/money';
import { formatMonth, monthOfInstant } from '../../web/src/months';
import type { Settlement, SettlementTotals } from '../../web/src/api-types';
import { first } from '../../src/db/rows';

const DAY = 86_400_000;
const usd = (minor: string | number) => formatMoney(String(minor), 'USD');
/** What a person must never read: rule ids, field paths, codes, minor units. */
const NOT_FOR_PEOPLE = /\bR3\d\b|minor unit|partner_borne|vendor_borne|owedTo|month_not_over|month_still_written|\d{4}-\d{2}(?!-)/;

/**
 * R37-R39 in the browser, over one distributor (D) with two resellers (R1, R2) in a month of the
 * past (M, its ledger rows booked there by the settlement fixtures): prepaid orders paid with D's
 * partner-borne coupon ($25), D's vendor-borne one ($30), R1's ($10) and R2's ($15). Hand-computed:
 * D owes the vendor $50 (its own $25 + $25 passed up), the vendor bears $30; R1 owes D $10, R2 $15.
 * The tests run in order: the distributor's settlement while M is open, its Resellers page, a
 * reseller's own settlement, the platform admin's promotion expense and closing M, then a refund.
 */
describe('web: settlement, resellers and the platform admin (R37 R38 R39), in Chromium', () => {
  const web = useBrowser(__filename);
  let w: World;
  let r2: Awaited<ReturnType<typeof addReseller>>;
  let M: string;
  let name: string; // "March 1994"
  let o1: string;
  let pa: TrackedPage;
  let dv: string; // D's vendor-borne template

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    const T = w.A.partner;
    r2 = await addReseller(w.A, 'w');
    M = await freshMonth();
    name = formatMonth(M);
    const from = new Date(new Date(`${M}-01T00:00:00Z`).getTime() - DAY);
    const { tpl, coupons: { cD, cV, cR1, cR2 } } = await settlementCoupons(w.A, r2, from);
    dv = tpl.dv;
    o1 = await payOrder(T, T, w.A.account, cD, 2500);
    await payOrder(T, T, w.A.account2, cV, 3000);
    await payOrder(T, w.A.reseller, w.A.resellerCustomer, cR1, 1000);
    await payOrder(T, r2.id, r2.customer, cR2, 1500);
    await bookIntoMonth(T, M);
    await givePasswords([w.A.pa, w.A.pv, w.A.po, w.A.ra, w.admin]);
    await clearSignInFailures();
    pa = await web.newPage();
    await signInThroughForm(pa.page, w.A.pa.email, WEB_PASSWORD);
  });

  const nav = (page: Page, label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  const table = (page: Page, caption: string | RegExp) => page.getByRole('table', { name: caption });
  const rowTexts = async (page: Page, caption: string | RegExp) => (await table(page, caption).locator('tbody tr').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
  const pageText = async (page: Page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  const apiSettlement = async (): Promise<Settlement> => {
    const res = await call('GET', `/v1/partners/${w.A.partner}/settlements/${M}`, { token: w.A.pa.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as Settlement;
  };

  it('R37 R38: the distributor admin sees the month with the API\'s figures, opens its lines and liability, and the CSV link answers CSV', async () => {
    const { page } = pa;
    await nav(page, 'Settlement');
    await page.getByRole('heading', { level: 1, name: 'Settlement' }).waitFor();
    expect(await expectEveryFieldLabelled(page)).to.include('Months up to');
    await page.getByLabel('Months up to').fill(M);
    const monthLink = page.getByRole('link', { name, exact: true });
    await monthLink.waitFor();
    const list = await call('GET', `/v1/partners/${w.A.partner}/settlements?from=${M}&to=${M}`, { token: w.A.pa.token });
    const totals = first(list.body.items as SettlementTotals[], 'the month\'s USD totals');
    expect(totals).to.deep.include({ status: 'open', owed: '5000', partnerBorne: '2500', passedUp: '2500', vendorBorne: '3000', adjustments: '0' });
    const caption = /^Settlements, /;
    const row = first((await rowTexts(page, caption)).filter((r) => r.startsWith(name)), `the row of ${name}`);
    expect(row).to.include('Open').and.include('may still change');
    expect(row).to.include(`${usd(totals.owed)}${usd(totals.adjustments)}${usd(totals.passedUp)}${usd(totals.vendorBorne)}`);
    const headers = await table(page, caption).locator('thead th').allTextContents();
    expect(headers).to.deep.equal(['Month', 'Status', 'You owe the vendor', 'Of which adjustments', 'Passed up from your resellers', 'Vendor-borne (not owed by you)']);
    await web.screenshot(page, '1-months');

    await monthLink.click();
    await page.getByRole('heading', { level: 1, name: `Settlement: ${name}` }).waitFor();
    await page.getByText(`${name} is over but not closed yet, so its figures may still change.`).waitFor();
    const s = first((await apiSettlement()).settlements, 'the USD settlement');
    const facts = (await page.locator('.settlement-totals').innerText()).replace(/\s+/g, ' ');
    expect(facts).to.include(`You owe the vendor ${usd(s.owed)}`).and.include(`Your own partner-borne coupons ${usd(s.partnerBorne)}`)
      .and.include(`Passed up from your resellers ${usd(s.passedUp)}`).and.include(`Vendor-borne coupons (the vendor's cost, not owed by you) ${usd(s.vendorBorne)}`);
    const lines = (kind: string) => s.lines.filter((l) => l.kind === kind);
    expect(await rowTexts(page, 'Your partner-borne coupons, per template and subaccount')).to.deep.equal(
      lines('partner_borne').map((l) => `${l.templateName}${l.accountName}This month${usd(l.deducted)}${usd(l.returned)}${usd(l.net)}`),
    );
    expect(await rowTexts(page, 'Passed up from your resellers, per reseller and template')).to.deep.equal(
      lines('reseller').map((l) => `${l.resellerName}${l.templateName}This month${usd(l.deducted)}${usd(l.returned)}${usd(l.net)}`),
    );
    expect(await rowTexts(page, 'Vendor-borne coupons, per template (not owed by you)')).to.deep.equal(
      lines('vendor_borne').map((l) => `${l.templateName}This month${usd(l.deducted)}${usd(l.returned)}${usd(l.net)}`),
    );
    expect(lines('reseller').map((l) => l.net).sort()).to.deep.equal(['1000', '1500']); // R1 and R2, by hand
    // R38: opening and closing per cost bearer, as the API gives them.
    expect(await rowTexts(page, /^Coupon liability/)).to.deep.equal(
      s.liability.map((b) => `${b.costBearer === 'partner' ? 'Partner' : 'Vendor'}-borne${[b.opening, b.issued, b.deducted, b.returned, b.revoked, b.expired, b.reclaimed, b.closing].map(usd).join('')}`),
    );
    expect(await pageText(page)).not.to.match(NOT_FOR_PEOPLE);

    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = await pa.context.request.get(new URL(href!, harness.baseUrl).toString());
    expect(csv.status()).to.equal(200);
    expect(csv.headers()['content-type']).to.include('text/csv');
    const csvRows = (await csv.text()).trim().split('\n');
    expect(csvRows[0]).to.equal('month,currency,line,kind,templateId,templateName,accountId,accountName,resellerId,resellerName,adjusts,deducted,returned,net');
    expect(csvRows).to.have.length(s.lines.length + 1);
    await web.screenshot(page, '2-month');
    pa.expectNoConsoleErrors();
  });

  it('R39: the Resellers page shows each reseller\'s totals and what it owes, and no name or id of any reseller\'s customer', async () => {
    const pv = await web.newPage();
    const { page } = pv;
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await signInThroughForm(page, w.A.pv.email, WEB_PASSWORD);
    await nav(page, 'Resellers');
    await page.getByRole('heading', { level: 1, name: 'Resellers' }).waitFor();
    await page.getByLabel('Months up to').fill(M);
    const api = (await call('GET', `/v1/partners/${w.A.partner}/reseller-totals?from=${M}&to=${M}`, { token: w.A.pv.token })).body;
    const r1Name = first((api.items as { resellerId: string; resellerName: string }[]).filter((i) => i.resellerId === w.A.reseller), 'R1\'s row').resellerName;
    const r1 = page.getByRole('region', { name: r1Name });
    await r1.getByRole('table', { name: `${r1Name}: what it owes you` }).waitFor();
    // R1: its coupon of $60 and the world's $50, $10 used; R2: $40, $15 used. All partner-borne.
    const flows = (issued: number, deducted: number, open: number) => `Partner-borne (USD)${[issued, deducted, 0, 0, 0, 0, open].map(usd).join('')}`;
    expect(await rowTexts(page, `${r1Name}: coupon totals of these months`)).to.deep.equal([flows(11000, 1000, 10000)]);
    expect(await rowTexts(page, `${r1Name}: what it owes you`)).to.deep.equal([`${name}Open${usd(1000)}`]);
    const r2Name = `res2-w`;
    expect(await rowTexts(page, `${r2Name}: coupon totals of these months`)).to.deep.equal([flows(4000, 1500, 2500)]);
    expect(await rowTexts(page, `${r2Name}: what it owes you`)).to.deep.equal([`${name}Open${usd(1500)}`]);
    await r1.getByText('Per month, template and cost bearer', { exact: true }).click();
    expect(await rowTexts(page, `${r1Name}: per month, template and cost bearer`)).to.deep.equal([`${name}tpl-aPartner-borne${[11000, 1000, 0, 0, 0, 0, 10000].map(usd).join('')}`]);
    await web.screenshot(page, '3-resellers');

    const customers: { id: string; name: string }[] = await harness.ds.query(
      `SELECT id::text, name FROM accounts WHERE tenant_id = $1 AND partner_id IN ($2, $3)`, [w.A.partner, w.A.reseller, r2.id]);
    expect(customers).to.have.length(2);
    const html = await page.content();
    for (const c of customers) expect(html, `the page shows nothing of ${c.name}`).not.to.include(c.id).and.not.to.include(c.name);
    // Nothing below the reseller was even asked for: the distributor's own reseller accounts and the totals only.
    const asked = urls.filter((u) => new URL(u).pathname.startsWith('/v1/')).map((u) => new URL(u));
    for (const u of asked) expect(`${u.pathname}${u.search}`).not.to.include(w.A.reseller).and.not.to.include(r2.id);
    expect(asked.filter((u) => u.pathname === '/v1/accounts').map((u) => u.searchParams.get('kind'))).to.deep.equal(['reseller']);
    expect(asked.map((u) => u.pathname)).to.include(`/v1/partners/${w.A.partner}/reseller-totals`);
    expect(await pageText(page)).not.to.match(NOT_FOR_PEOPLE);
    pv.expectNoConsoleErrors();
  });

  it('R37: a reseller reads that it owes its distributor, and has no Resellers page in its navigation', async () => {
    const ra = await web.newPage();
    const { page } = ra;
    await signInThroughForm(page, w.A.ra.email, WEB_PASSWORD);
    await page.goto(`/portal/settlement/${M}`);
    await page.getByRole('heading', { level: 1, name: `Settlement: ${name}` }).waitFor();
    const facts = (await page.locator('.settlement-totals').innerText()).replace(/\s+/g, ' ');
    expect(facts).to.include(`You owe your distributor ${usd(1000)}`).and.not.include('Passed up');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Resellers' }).count()).to.equal(0);
    ra.expectNoConsoleErrors();
  });

  it('R3 R37: a partner operator is told, in words, who reads settlements', async () => {
    const po = await web.newPage();
    const { page } = po;
    await signInThroughForm(page, w.A.po.email, WEB_PASSWORD);
    await nav(page, 'Settlement');
    await page.getByRole('alert').filter({ hasText: "Settlements are read by your partner's admins and viewers; ask one of them." }).waitFor();
    expect(await pageText(page)).not.to.match(/Cannot execute|SettlementMonth/);
    po.expectNoConsoleErrors([/^GET \/v1\/partners\/[0-9a-f-]{36}\/settlements 403$/, /^GET \/v1\/settlement-months 403$/]);
  });

  it('R37: the platform admin lands on the promotion expense and reads the month\'s per BD, partner and template, with its CSV', async () => {
    const admin = await web.newPage();
    const { page } = admin;
    await signInThroughForm(page, w.admin.email, WEB_PASSWORD);
    await page.waitForURL('**/admin/promotion-expense');
    await page.getByRole('heading', { level: 1, name: 'Promotion expense' }).waitFor();
    expect(await expectEveryFieldLabelled(page)).to.include('Month');
    await page.getByLabel('Month', { exact: true }).fill(M);
    const detail = `Per BD, partner and template, ${name}`;
    await table(page, detail).waitFor();
    const api = (await call('GET', `/v1/promotion-expense?month=${M}`, { token: w.admin.token })).body;
    const mine = (api.items as { partnerId: string; partnerName: string; bdName: string; templateName: string; deducted: string; returned: string; net: string }[])
      .filter((i) => i.partnerId === w.A.partner);
    expect(mine.map((i) => [i.bdName, i.templateName, i.net])).to.deep.equal([['bd', 'D vendor-borne', '3000']]);
    const row = first(mine, 'D\'s vendor-borne expense');
    expect(await rowTexts(page, detail)).to.include(`bd${row.partnerName}D vendor-borne${usd(3000)}${usd(0)}${usd(3000)}`);
    expect(await rowTexts(page, `Per BD, ${name}`)).to.include(`bd1${usd(3000)}${usd(0)}${usd(3000)}`);
    await page.getByText(`${name} is over but not closed yet, so its figures may still change.`).waitFor();
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = await admin.context.request.get(new URL(href!, harness.baseUrl).toString());
    expect(csv.headers()['content-type']).to.include('text/csv');
    expect(await csv.text()).to.include(`${w.A.partner},${row.partnerName},${dv},D vendor-borne,USD,3000,0,3000`);
    expect(await pageText(page)).not.to.match(NOT_FOR_PEOPLE);
    await web.screenshot(page, '4-expense');
    admin.expectNoConsoleErrors();

    // Settlement months: M is over and open; Close asks first, and nothing is sent before the confirm.
    await nav(page, 'Settlement months');
    await page.getByRole('heading', { level: 1, name: 'Settlement months' }).waitFor();
    await page.getByLabel('Months up to').fill(M);
    const close = page.getByRole('button', { name: `Close ${name}` });
    await close.waitFor();
    const before = admin.apiCalls.length;
    await close.click();
    const dialog = page.getByRole('dialog', { name: `Close ${name}?` });
    await dialog.waitFor();
    expect(await dialog.textContent()).to.include(`Every partner's settlement of ${name} (UTC) will be frozen`);
    await dialog.getByRole('button', { name: 'Keep it open' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(admin.apiCalls.slice(before).filter((c) => c.startsWith('POST')), 'nothing sent').to.deep.equal([]);
    await close.click();
    await dialog.getByRole('button', { name: `Yes, close ${name}` }).click();
    await page.getByRole('status').filter({ hasText: `${name} is closed:` }).waitFor();
    await table(page, /^Settlement months, /).locator('tbody tr').filter({ hasText: name }).filter({ hasText: 'Closed' }).waitFor();
    expect(admin.apiCalls.slice(before).filter((c) => c.startsWith('POST'))).to.deep.equal([`POST /v1/settlement-months/${M}/close`]);
    const [closed] = await harness.ds.query(`SELECT closed_by::text FROM settlement_months WHERE month = $1::date`, [`${M}-01`]);
    expect(closed).to.deep.equal({ closed_by: w.admin.id });
    const monthRow = first((await rowTexts(page, /^Settlement months, /)).filter((r) => r.startsWith(name)), `the row of ${name}`);
    expect(monthRow).to.include('Closed');
    expect(await close.count(), 'no Close for a closed month').to.equal(0);
    expect(await page.getByRole('button', { name: `Close ${formatMonth(monthOfInstant(new Date()))}` }).count(), 'nor for the running one').to.equal(0);
    await web.screenshot(page, '5-closed');
    admin.expectNoConsoleErrors();
  });

  it('R37: the distributor then reads the month as closed, unchanged; a later refund shows in this month as an adjustment of it', async () => {
    const { page } = pa;
    const figures = async () => (await page.locator('.settlement-totals').innerText()).replace(/\s+/g, ' ');
    await page.goto(`/portal/settlement/${M}`);
    await page.getByText(new RegExp(`^Closed ${name} was closed on .+\\. Its figures are final`)).waitFor();
    expect(await figures()).to.include(`You owe the vendor ${usd(5000)}`);

    const refund = await call('POST', `/v1/orders/${o1}/refund`, { token: w.admin.token, body: { reason: 'unsubscribed' } });
    expect(refund.status, JSON.stringify(refund.body)).to.equal(201);
    const now = monthOfInstant(new Date());
    await page.goto(`/portal/settlement/${now}`);
    await page.getByRole('heading', { level: 1, name: `Settlement: ${formatMonth(now)}` }).waitFor();
    await page.getByText('so its figures may still change').waitFor();
    expect(await figures()).to.include(`You owe the vendor ${usd(-2500)}`).and.include(`Of which adjustments for earlier months ${usd(-2500)}`);
    expect(await rowTexts(page, 'Your partner-borne coupons, per template and subaccount')).to.deep.equal([`D partner-bornecust1-aAdjusts ${name}${usd(0)}${usd(2500)}${usd(-2500)}`]);
    await page.goto(`/portal/settlement/${M}`);
    await page.getByRole('heading', { level: 1, name: `Settlement: ${name}` }).waitFor();
    await page.locator('.settlement-totals').waitFor();
    expect(await figures(), 'the closed month does not change').to.include(`You owe the vendor ${usd(5000)}`).and.include(`Of which adjustments for earlier months ${usd(0)}`);
    await web.screenshot(page, '6-adjustment');
    pa.expectNoConsoleErrors();
  });
});
