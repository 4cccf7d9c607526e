import { expect } from 'chai';
import { harness } from '../support/harness';
import { buildWorld, type World } from '../support/world';
import { expectEveryFieldLabelled, signInThroughForm, useBrowser } from './support/browser';
import { call } from '../support/http';
import { BROWSER_ADDRESS, clearSignInFailures, givePasswords, WEB_PASSWORD } from './support/people';

/** Signing in to the web app, and each role landing in its own area (R3) in Chromium. */
describe('web: signing in, and where each role lands (R3), in Chromium', () => {
  const web = useBrowser(__filename);
  let w: World;
  before(async () => {
    w = await buildWorld(harness.ds);
    await givePasswords([w.bd, w.A.pa, w.A.pv, w.admin]);
  });
  beforeEach(async () => {
    await clearSignInFailures();
  });
  after(async () => {
    await clearSignInFailures([w.A.pv.email]);
  });

  it('the sign-in form has labelled fields, says what is missing, and says a wrong password is wrong without signing in', async () => {
    const t = await web.newPage();
    const { page } = t;
    await page.goto('/bd/queue');
    await page.waitForURL((u) => u.pathname === '/signin' && u.searchParams.get('next') === '/bd/queue');
    expect(await expectEveryFieldLabelled(page)).to.have.members(['Email', 'Password']);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter your email address').waitFor();
    await page.getByText('Enter your password').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).to.equal('true');

    await page.getByLabel('Email').fill(w.bd.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/signin');
    expect(await page.getByLabel('Password').inputValue()).to.equal('');
    expect((await t.context.cookies()).map((c) => c.name)).to.not.include('cc_session');
    await web.screenshot(page, 'wrong-password');
    t.expectNoConsoleErrors([/^POST \/v1\/session 401$/]); // the wrong password, refused
  });

  it('too many failed attempts: the form says when to try again, in minutes', async () => {
    // Five wrong passwords for this email from the browser's address (the limit), through the API.
    for (let i = 0; i < 5; i++) {
      expect((await call('POST', '/v1/session', { body: { email: w.A.pv.email, password: `wrong-${i}` } })).status, `attempt ${i + 1} from ${BROWSER_ADDRESS}`).to.equal(401);
    }
    const t = await web.newPage();
    await t.page.goto('/signin');
    await t.page.getByLabel('Email').fill(w.A.pv.email);
    await t.page.getByLabel('Password').fill(WEB_PASSWORD);
    await t.page.getByRole('button', { name: 'Sign in' }).click();
    await t.page.getByRole('alert').filter({ hasText: 'Too many attempts — try again in 15 minutes.' }).waitFor();
    expect(new URL(t.page.url()).pathname).to.equal('/signin');
    await web.screenshot(t.page, 'too-many-attempts');
    t.expectNoConsoleErrors([/^POST \/v1\/session (401|429)$/]); // the failures, then the limit
  });

  it('R3: ?next= brings the BD back to the page it asked for; a session ended elsewhere sends it to the form and back; signing out ends it', async () => {
    const t = await web.newPage();
    const { page } = t;
    const signInHere = async () => {
      await page.getByLabel('Email').fill(w.bd.email);
      await page.getByLabel('Password').fill(WEB_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    await page.goto('/bd/decisions');
    await page.waitForURL(/\/signin\?next=/);
    await signInHere();
    await page.getByRole('heading', { level: 1, name: 'My decisions' }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/bd/decisions');

    // The session ends on the server (as after a password change elsewhere): the next API call is
    // a 401, and the app asks to sign in again, then returns where the person was going.
    await harness.ds.query(`UPDATE web_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [w.bd.id]);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approval queue' }).click();
    await page.waitForURL((u) => u.pathname === '/signin' && u.searchParams.get('next') === '/bd/queue');
    await signInHere();
    await page.getByRole('heading', { level: 1, name: 'Approval queue' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.pathname === '/signin');
    expect((await t.context.cookies()).filter((c) => c.name === 'cc_session' && c.value !== '')).to.deep.equal([]);
    await page.goto('/bd/queue');
    await page.waitForURL((u) => u.pathname === '/signin');
    t.expectNoConsoleErrors([/^GET \/v1\/[\w/-]+ 401$/]); // the calls made after the session ended on the server
  });

  it('R3: a partner admin lands in the portal and is told the BD queue and the admin area are not for its role; a platform admin lands in its own area', async () => {
    const partner = await web.newPage();
    await signInThroughForm(partner.page, w.A.pa.email, WEB_PASSWORD);
    expect(new URL(partner.page.url()).pathname).to.equal('/portal');
    await partner.page.goto('/bd/queue');
    await partner.page.getByRole('heading', { level: 1, name: 'Not available for your role' }).waitFor();
    expect(partner.apiCalls.filter((c) => c.includes('approval-queue')), 'the guard asks the API nothing').to.deep.equal([]);
    await web.screenshot(partner.page, 'not-for-your-role');
    await partner.page.goto('/admin/settlement-months');
    await partner.page.getByRole('heading', { level: 1, name: 'Not available for your role' }).waitFor();
    expect(partner.apiCalls.filter((c) => c.includes('settlement-months')), 'the guard asks the API nothing').to.deep.equal([]);
    partner.expectNoConsoleErrors();

    const admin = await web.newPage();
    await signInThroughForm(admin.page, w.admin.email, WEB_PASSWORD);
    await admin.page.getByRole('heading', { level: 1, name: 'Promotion expense' }).waitFor();
    expect(new URL(admin.page.url()).pathname).to.equal('/admin/promotion-expense');
    await admin.page.goto('/portal');
    await admin.page.getByRole('heading', { level: 1, name: 'Not available for your role' }).waitFor();
    admin.expectNoConsoleErrors();
  });
});
