import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';

/**
 * Reusable steps of the subaccount billing view (web/src/billing/), for flows that cross views
 * (a partner issues, the BD approves, the subaccount sees the coupon and pays with it). The page
 * must be signed in as an account_owner or account_finance.
 */

/** Opens the wallet and waits for the coupon of that template; resolves with its table row. */
export async function expectCouponInWallet(page: Page, { templateName }: { templateName: string }): Promise<Locator> {
  await page.goto('/billing/wallet');
  await page.getByRole('heading', { level: 1, name: 'Coupon wallet' }).waitFor();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: templateName, exact: true }) }).first();
  await row.waitFor();
  return row;
}

/**
 * Checkout of one prepaid item (a new purchase of 1 month): quote, choose the coupon whose label
 * contains `couponLabel` (its template's name), pay; resolves with the new order's id once the page
 * shows it. `amount` is typed as a person would ("30.00"). `doubleClick` pays with a double click.
 */
export async function payWithCoupon(
  page: Page,
  { productName, amount, couponLabel, doubleClick = false }: { productName: string; amount: string; couponLabel: string; doubleClick?: boolean },
): Promise<{ orderId: string }> {
  await page.goto('/billing/checkout');
  await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
  await page.getByLabel('Product (item 1)').selectOption({ label: productName });
  await page.getByLabel(/^Amount in [A-Z]{3} \(item 1\)$/).fill(amount);
  await page.getByRole('button', { name: 'Get quote' }).click();
  const radio = page.getByRole('radio', { name: couponLabel });
  await radio.check();
  const pay = page.getByRole('button', { name: /^Pay / });
  if (doubleClick) await pay.dblclick();
  else await pay.click();
  const paid = page.locator('section.checkout-paid');
  await paid.getByRole('heading', { name: 'Order paid' }).waitFor();
  const orderId = await paid.getAttribute('data-order-id');
  expect(orderId, 'the paid order shows its id').to.match(/^[0-9a-f-]{36}$/);
  return { orderId: orderId! };
}
