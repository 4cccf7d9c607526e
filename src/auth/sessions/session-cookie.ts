import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import { config } from '../../config';

export const SESSION_COOKIE = 'cc_session';
/**
 * A companion cookie the web app may read (not HttpOnly, no secret in it: always "1"): it says a
 * session may exist, so the app asks GET /v1/session only then, instead of starting every visit of
 * a signed-out person with a refused request. It proves nothing; the server never reads it.
 */
export const SIGNED_IN_COOKIE = 'cc_signed_in';
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
  const secure = config().COOKIE_SECURE ? ['Secure'] : [];
  const common = ['Path=/', `Max-Age=${maxAgeSeconds}`, 'SameSite=Strict', ...secure];
  res.append('Set-Cookie', [`${SESSION_COOKIE}=${value}`, ...common, 'HttpOnly'].join('; '));
  res.append('Set-Cookie', [`${SIGNED_IN_COOKIE}=${value ? '1' : ''}`, ...common].join('; '));
  // The answers that set or clear the cookie carry the CSRF token or a sign-out: never cached.
  res.set('Cache-Control', 'no-store');
}

/** The cookie lives as long as the session may (idle timeouts are the server's to enforce). */
export const setSessionCookie = (res: Response, secret: string) => setCookie(res, secret, config().SESSION_MAX_AGE_SECONDS);
export const clearSessionCookie = (res: Response) => setCookie(res, '', 0);
