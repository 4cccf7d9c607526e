// Who is signed in. The session lives in the http-only cc_session cookie; the app keeps only what
// GET/POST /v1/session answer: the person (the shape of GET /v1/me) and the CSRF token (in api.ts's
// memory). React Query holds it under SESSION_KEY, so any component reads it with useSession().
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, request, setCsrfToken, setUnauthorizedHandler } from './api';
import type { Me, Session, User } from './api-types';

export const SESSION_KEY = ['session'] as const;

/**
 * The session's `user` is GET /v1/me's answer ({user, scope}); a bare user object is accepted too,
 * so the app does not break if the server ever answers the flat shape.
 */
export function normalizeMe(raw: unknown): Me {
  const r = raw as Partial<Me> & Partial<User>;
  if (r.user && r.scope) return r as Me;
  const u = r as User;
  return {
    user: u,
    scope: { role: u.role, tenantId: u.tenantId, partnerId: u.partnerId, partnerTier: null, accountId: u.accountId, bdPartnerIds: [] },
  };
}

function remember(session: Session): Me {
  setCsrfToken(session.csrfToken);
  return normalizeMe(session.user);
}

/**
 * The server sets the readable cc_signed_in=1 beside the http-only session cookie and clears both
 * together: without it nobody can be signed in here, and the app does not ask (a refused request
 * would be the first thing every signed-out visit did).
 */
function maySignedIn(): boolean {
  return document.cookie.split(';').some((c) => c.trim() === 'cc_signed_in=1');
}

/** null when nobody is signed in (no companion cookie, or 401: the session ended). */
async function fetchSession(signal: AbortSignal): Promise<Me | null> {
  if (!maySignedIn()) {
    setCsrfToken(null);
    return null;
  }
  try {
    return remember(await request<Session>('GET', '/v1/session', { signal, expectUnauthorized: true }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

/** Wires api.ts's 401 handler to the cache: the session is forgotten, the guard shows /signin. */
export function installSessionExpiry(client: QueryClient): void {
  setUnauthorizedHandler(() => forget(client));
}

function forget(client: QueryClient): void {
  setCsrfToken(null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
  client.setQueryData(SESSION_KEY, null);
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: ({ signal }) => fetchSession(signal), staleTime: Infinity, retry: false });
}

/** The signed-in person; only for components rendered under the sign-in guard. */
export function useMe(): Me {
  const { data } = useSession();
  if (!data) throw new Error('useMe() outside the signed-in part of the app');
  return data;
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: { email: string; password: string }) =>
      remember(await request<Session>('POST', '/v1/session', { body: credentials, expectUnauthorized: true })),
    onSuccess: (me) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      client.setQueryData(SESSION_KEY, me);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>('DELETE', '/v1/session', { expectUnauthorized: true }),
    // Signed out locally even when the server could not be told (the cookie may already be gone).
    onSettled: () => forget(client),
  });
}
