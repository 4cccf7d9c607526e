import argon2 from 'argon2';
import { harness } from '../../support/harness';
import type { Person } from '../../support/world';

/** The one password of the browser tests' people (never a real one). */
export const WEB_PASSWORD = 'web-test-password-2026';

let hashed: Promise<string> | undefined;

/**
 * Lets people of a test world (test/support/world.ts) sign in through the web form: sets their
 * password_hash (argon2id, as the API stores passwords). The hash is made once per run: argon2
 * is slow on purpose, and the same password gives every person a valid hash of it.
 */
export async function givePasswords(people: Person[], password = WEB_PASSWORD): Promise<void> {
  const hash = await (password === WEB_PASSWORD ? (hashed ??= argon2.hash(WEB_PASSWORD)) : argon2.hash(password));
  await harness.ds.query(`UPDATE users SET password_hash = $2 WHERE id = ANY($1::uuid[])`, [people.map((p) => p.id), hash]);
}
