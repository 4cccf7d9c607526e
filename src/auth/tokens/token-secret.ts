import { createHash, randomBytes } from 'node:crypto';

// 256 random bits, base64url: `cc_` + 43 characters. Stored only as SHA-256: a token carries
// enough entropy that a slow hash adds nothing, and lookup by hash is one indexed read.
export const TOKEN_PATTERN = /^cc_[A-Za-z0-9_-]{43}$/;

export function newTokenSecret(): string {
  return `cc_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** What lists show: enough to tell tokens apart, never enough to use one. */
export function tokenPrefix(secret: string): string {
  return secret.slice(0, 9);
}
