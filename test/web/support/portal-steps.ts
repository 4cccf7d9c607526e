import { expect } from 'chai';
import type { Page } from 'playwright-core';

/**
 * Steps in the distributor portal (/portal), for tests that go through it as a partner would. The
 * page must be signed in as a partner user (partner_admin or partner_operator).
 */

/**
 * On /portal/issue: chooses the template by its name and ticks each account, found through the
 * search box (the selection survives each new search). Resolves with the total face value the page
 * shows before anything is sent (e.g. "$150.00").
 */
export async function fillIssuanceForm(page: Page, { templateName, accountNames }: { templateName: string; accountNames: string[] }): Promise<string> {
  await page.goto('/portal/issue');
  await page.getByRole('heading', { level: 1, name: 'Issue coupons' }).waitFor();
  const select = page.getByLabel('Template', { exact: true });
  const option = select.locator('option').filter({ hasText: templateName });
  await option.first().waitFor({ state: 'attached' });
  expect(await option.count(), `one active template named ${templateName}`).to.equal(1);
  await select.selectOption((await option.getAttribute('value'))!);
  const search = page.getByLabel('Search subaccounts by name');
  for (const name of accountNames) {
    await search.fill(name);
    const box = page.getByRole('checkbox', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`) });
    await box.check();
  }
  await search.fill('');
  await page.locator('.selected-count').filter({ hasText: `${accountNames.length} subaccount` }).waitFor();
  const total = page.locator('.issue-total .money').first();
  await total.waitFor();
  return (await total.textContent())!.trim();
}

/**
 * On the filled issue form: "Submit request", then the confirm step, which must state the
 * template, the number of subaccounts and the total; "Yes, submit request" sends it.
 */
export async function confirmIssuance(page: Page, { templateName, accountCount, total }: { templateName: string; accountCount: number; total: string }): Promise<void> {
  await page.getByRole('button', { name: 'Submit request' }).click();
  const dialog = page.getByRole('dialog', { name: 'Submit this request?' });
  await dialog.waitFor();
  expect(await dialog.textContent(), 'what the confirm step states')
    .to.include(templateName)
    .and.include(`${accountCount} ${accountCount === 1 ? 'subaccount' : 'subaccounts'}`)
    .and.include(total);
  await dialog.getByRole('button', { name: 'Yes, submit request' }).click();
}

/**
 * The whole step: fill the issue form, submit, confirm, and wait for the new request's page.
 * Resolves with the request's id (from the URL) and the total the page showed before submitting.
 */
export async function submitIssuanceInPortal(
  page: Page,
  spec: { templateName: string; accountNames: string[] },
): Promise<{ requestId: string; total: string }> {
  const total = await fillIssuanceForm(page, spec);
  await confirmIssuance(page, { templateName: spec.templateName, accountCount: spec.accountNames.length, total });
  await page.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/);
  await page.locator('.request-status .badge').waitFor();
  const requestId = new URL(page.url()).pathname.split('/').pop()!;
  return { requestId, total };
}
