// The one way the web app talks to the server: same-origin /v1 requests, signed by the session
// cookie (cc_session, http-only: scripts never see it), with the session's CSRF token on every
// unsafe method. Every non-2xx answer becomes an ApiError built from the API's error envelope
// {"error":{"code","message","details"}}. A 401 outside signing in means the session ended: the
// handler installed by session.tsx forgets it, and the route guard sends the person to /signin.

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The API's stable code (`invalid_credentials`, `conflict`, `validation_failed`, ...). */
    readonly code: string,
    message: string,
    /** Per-field problems of a 400 (`body.reason`, ...); empty when the API gave none. */
    readonly details: FieldError[] = [],
    /** From Retry-After on a 429/503, in seconds. */
    readonly retryAfterSeconds: number | null = null,
    /** Details given as an object rather than per field (`{ accountIds: [...] }`); empty otherwise. */
    readonly facts: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The ids a refusal names under `key` of its details (`accountIds`: the accounts refused). */
  idsNamed(key: string): string[] {
    const v = this.facts[key];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  /** The message for one field ("reason" matches "body.reason"), if the API named it. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.field === field || d.field.endsWith(`.${field}`))?.message;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Kept in memory only (never in storage): a reload asks GET /v1/session for it again. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when a signed-in request answers 401 (the session expired or was ended elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** A 401 is an expected answer here (signing in, asking whether there is a session): no redirect. */
  expectUnauthorized?: boolean;
  /** Extra request headers (e.g. `Idempotency-Key`); they never replace accept, content-type or CSRF. */
  headers?: Record<string, string>;
}

function url(path: string, query?: Query): string {
  if (!path.startsWith('/v1/')) throw new Error(`the web app only calls /v1: ${path}`);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function retryAfter(res: Response): number | null {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  if (/^\d+$/.test(h)) return Number(h);
  const at = Date.parse(h);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function fieldErrors(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  return details
    .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
    .map((d) => ({ field: String(d.field ?? ''), code: String(d.code ?? ''), message: String(d.message ?? '') }))
    .filter((d) => d.message !== '');
}

function detailFacts(details: unknown): Record<string, unknown> {
  return typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : {};
}

async function toApiError(res: Response): Promise<ApiError> {
  let envelope: unknown = null;
  try {
    envelope = await res.json();
  } catch {
    /* not JSON (a proxy's error page): described by the status below */
  }
  const e = (envelope as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (e && typeof e.code === 'string') {
    return new ApiError(res.status, e.code, typeof e.message === 'string' ? e.message : e.code, fieldErrors(e.details), retryAfter(res), detailFacts(e.details));
  }
  return new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}`.trim(), [], retryAfter(res));
}

/** One request; resolves with the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...opts.headers, accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && !opts.expectUnauthorized) onUnauthorized?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, { body, headers }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Paths are built from ids the API gave; encode them anyway so a path never changes shape. */
export const seg = (id: string) => encodeURIComponent(id);
