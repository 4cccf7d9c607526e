import { expect } from 'chai';
import { harness } from '../support/harness';
import { buildWorld, type World } from '../support/world';
import { useWorkers } from '../support/jobs';
import { createTemplate, ensureProducts } from '../support/coupons-world';
import { signInThroughForm, useBrowser, waitForFocus } from './support/browser';
import { clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';
import { submitIssuanceInPortal } from './support/portal-steps';
import { expectCouponInWallet, payWithCoupon } from './support/billing-steps';

/**
 * One coupon through the three views, each person in their own browser context on the real stack:
 * a distributor submits a vendor-borne issuance in the portal, the BD approves it in the queue, the
 * real workers issue it, and the subaccount's finance user finds it in the wallet and pays with it.
 */
describe('web: a coupon from the portal through the BD queue to checkout (R2, R9, R13, R21), in Chromium', () => {
  const web = useBrowser(__filename);
  let w: World;
  const workers = useWorkers();
  const templateName = 'Cross-view launch credit';

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await givePasswords([w.A.pa, w.bd, w.A.af]);
    await clearSignInFailures();
    await createTemplate(w.A.pa, { name: templateName, costBearer: 'vendor', faceValue: '5000', productCodes: ['cvm'], billingModes: ['prepaid'], scenarios: ['purchase'] });
  });

  it('R2 R9 R13 R21: the partner submits, the BD approves, the workers issue, the subaccount pays with the coupon', async () => {
    // The distributor, in the portal.
    const partner = await web.newPage();
    await signInThroughForm(partner.page, w.A.pa.email, WEB_PASSWORD);
    const { requestId } = await submitIssuanceInPortal(partner.page, { templateName, accountNames: ['cust1-a'] });
    await web.screenshot(partner.page, '1-partner-submitted');
    const [submitted] = await harness.ds.query(`SELECT status, cost_bearer, total_accounts FROM issuance_requests WHERE id = $1`, [requestId]);
    expect(submitted).to.deep.equal({ status: 'pending_approval', cost_bearer: 'vendor', total_accounts: 1 });
    await workers.watcher.completion(`issuance.route-${requestId}`);

    // The BD, in the approval queue.
    const bd = await web.newPage();
    await signInThroughForm(bd.page, w.bd.email, WEB_PASSWORD);
    const option = bd.page.locator(`#queue-option-${requestId}`);
    await option.click();
    const detail = bd.page.locator('article.request-detail');
    await detail.getByRole('heading', { level: 2, name: new RegExp(templateName) }).waitFor();
    await detail.getByRole('button', { name: 'Approve' }).click();
    await bd.page.getByRole('dialog', { name: 'Approve this request?' }).waitFor();
    await waitForFocus(bd.page, 'dialog[open] button.button-primary');
    await bd.page.keyboard.press('Enter');
    await option.waitFor({ state: 'detached' });
    expect(await workers.watcher.completion(`issuance.issue-${requestId}`)).to.equal('done');
    await web.screenshot(bd.page, '2-bd-approved');

    // The subaccount's finance user, in billing.
    const finance = await web.newPage();
    await signInThroughForm(finance.page, w.A.af.email, WEB_PASSWORD);
    const row = await expectCouponInWallet(finance.page, { templateName });
    expect(await row.textContent()).to.include('$50.00');
    await web.screenshot(finance.page, '3-wallet');
    const { orderId } = await payWithCoupon(finance.page, { productName: 'Cloud Virtual Machine', amount: '30.00', couponLabel: templateName });
    await web.screenshot(finance.page, '4-paid');

    const [order] = await harness.ds.query(
      `SELECT o.total::text, o.coupon_deduction::text AS deduction, o.cash::text, c.balance::text, c.request_id
         FROM orders o JOIN coupons c ON c.id = o.coupon_id WHERE o.id = $1`,
      [orderId],
    );
    expect(order).to.deep.equal({ total: '3000', deduction: '3000', cash: '0', balance: '2000', request_id: requestId });
    for (const p of [partner, bd, finance]) p.expectNoConsoleErrors();
  });
});
