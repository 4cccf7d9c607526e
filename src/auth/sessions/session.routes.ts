import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { z } from '../../shared/zod';
import { route } from '../../http/route';
import { changePassword } from './change-password';
import { currentSession, signOut } from './session-admin';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from './session-cookie';
import { ChangePasswordBody, SessionJson, SignInBody } from './session.schema';
import { signIn } from './sign-in';
import { signInLimits } from './sign-in-limits';

const tags = ['Sessions'];

/**
 * People sign in to the web app with email and password and get a cookie session (machine clients
 * keep their bearer tokens). Signing in is the one /v1 route reached before authentication: the
 * app mounts `open` ahead of `authenticate`, everything else goes on `v1` after it.
 */
export function sessionRoutes(routers: { open: Router; v1: Router }, ds: DataSource, redis: Redis): void {
  const limits = signInLimits(redis);
  route(routers.open, ds, {
    method: 'post', path: '/v1/session', tags, status: 201, errors: [429, 503], public: true,
    summary: 'Sign in with email and password: sets the cc_session cookie and answers the CSRF token. Every refusal is the same 401 invalid_credentials; failed attempts are limited per email and client address, and per address (429)',
    body: SignInBody, response: SessionJson, // JSON only, as every body (415 otherwise): a cross-site form cannot send it (login CSRF)
    handler: async (ctx, { body }, res) => {
      const req = res.req;
      const session = await signIn(ctx, limits, {
        ...body, address: req.ip, userAgent: req.get('user-agent'), replacing: sessionCookieOf(req.headers.cookie),
      });
      setSessionCookie(res, session.secret);
      return session.body;
    },
  });
  route(routers.v1, ds, {
    method: 'get', path: '/v1/session', tags, errors: [],
    summary: 'The signed-in person and the session\'s CSRF token (a session cookie only; 401 otherwise)',
    response: SessionJson,
    handler: (ctx, _input, res) => {
      res.set('Cache-Control', 'no-store');
      return currentSession(ctx);
    },
  });
  route(routers.v1, ds, {
    method: 'delete', path: '/v1/session', tags, status: 204, errors: [403],
    summary: 'Sign out: ends this session and clears its cookie (needs X-CSRF-Token)',
    response: z.null(),
    handler: async (ctx, _input, res) => {
      await signOut(ctx);
      clearSessionCookie(res);
    },
  });
  route(routers.v1, ds, {
    method: 'put', path: '/v1/me/password', tags, status: 204, errors: [403, 409, 422, 429, 503],
    summary: 'Set or change your own password (once set, currentPassword is required); ends your other web sessions',
    body: ChangePasswordBody, response: z.null(),
    handler: (ctx, { body }, res) => changePassword(ctx, limits, res.req.ip, body),
  });
}
