import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { z } from '../../shared/zod';
import { logger } from '../../logger';

/** A password someone chooses: long rather than clever; capped so hashing stays cheap to refuse. */
export const NewPassword = z.string().min(12).max(200);
/** A password someone types to sign in: any length up to the same cap (the check is the hash). */
export const GivenPassword = z.string().min(1).max(200);

/** argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes); the encoded string keeps them. */
export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });

// Verified instead of a real hash when there is none (unknown email, no password set), so the
// answer takes as long whether or not the account exists.
let dummy: Promise<string> | undefined;

/** True when `password` matches `encoded`; with no hash it spends the same time and answers false. */
export async function verifyPassword(encoded: string | null | undefined, password: string): Promise<boolean> {
  if (!encoded) {
    dummy ??= hashPassword(randomBytes(32).toString('base64url'));
    await argon2.verify(await dummy, password);
    return false;
  }
  try {
    return await argon2.verify(encoded, password);
  } catch (err) {
    // A stored hash the library cannot read is ours to fix, and signs nobody in.
    logger.error({ err }, 'a stored password hash could not be verified');
    return false;
  }
}
