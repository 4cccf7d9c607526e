import { hashPassword } from '../../../src/auth/sessions/passwords';
import { signInLimits } from '../../../src/auth/sessions/sign-in-limits';
import { harness } from '../../support/harness';
import type { Person } from '../../support/world';

/** The one password of the browser tests' people (never a real one). */
export const WEB_PASSWORD = 'web-test-password-2026';

let hashed: Promise<string> | undefined;

/**
 * Lets people of a test world (test/support/world.ts) sign in through the web form: sets their
 * password_hash as the API stores it (argon2id). The hash is made once per run: argon2 is slow on
 * purpose, and one hash of the password is valid for every person.
 */
export async function givePasswords(people: Person[], password = WEB_PASSWORD): Promise<void> {
  const hash = await (password === WEB_PASSWORD ? (hashed ??= hashPassword(WEB_PASSWORD)) : hashPassword(password));
  await harness.ds.query(`UPDATE users SET password_hash = $2 WHERE id = ANY($1::uuid[])`, [people.map((p) => p.id), hash]);
}

/** Where the browser's requests come from, as the test server sees them. */
export const BROWSER_ADDRESS = '127.0.0.1';

/**
 * Forgets the failed sign-ins counted for the browser's address (and these emails): other tests,
 * and earlier runs on the same Redis within the hour, must not block a sign-in here.
 */
export async function clearSignInFailures(emails: string[] = []): Promise<void> {
  const limits = signInLimits(harness.redis);
  await limits.resetAddress(BROWSER_ADDRESS);
  for (const e of emails) await limits.resetEmail(e, BROWSER_ADDRESS);
}
