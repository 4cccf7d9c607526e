import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import { config } from '../../config';

export const SESSION_COOKIE = 'cc_session';
export const CSRF_HEADER = 'x-csrf-token';

// 256 random bits, base64url (43 characters); the database keeps only the SHA-256, like API tokens.
export const SESSION_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const COOKIE_VALUE = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=([^;]*)`);

export const newSessionSecret = (): string => randomBytes(32).toString('base64url');
export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

/** The session cookie's value from a Cookie header, or undefined when there is none. */
export function sessionCookieOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return COOKIE_VALUE.exec(header)?.[1]?.trim();
}

/** Constant time, whatever the lengths: both sides are hashed to 32 bytes first. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function setCookie(res: Response, value: string, maxAgeSeconds: number): void {
  const flags = [`${SESSION_COOKIE}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  if (config().COOKIE_SECURE) flags.push('Secure');
  res.append('Set-Cookie', flags.join('; '));
  // The answers that set or clear the cookie carry the CSRF token or a sign-out: never cached.
  res.set('Cache-Control', 'no-store');
}

/** The cookie lives as long as the session may (idle timeouts are the server's to enforce). */
export const setSessionCookie = (res: Response, secret: string) => setCookie(res, secret, config().SESSION_MAX_AGE_SECONDS);
export const clearSessionCookie = (res: Response) => setCookie(res, '', 0);
