import { expect } from 'chai';
import { harness } from './harness';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

/** Real HTTP against the test server (or `baseUrl`, a server of a test's own). `body` may be a string to send raw bytes. */
export async function call(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; baseUrl?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  const res = await fetch((opts.baseUrl ?? harness.baseUrl) + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export const as = (token: string) => ({
  get: (path: string) => call('GET', path, { token }),
  post: (path: string, body?: unknown) => call('POST', path, { token, body }),
  patch: (path: string, body?: unknown) => call('PATCH', path, { token, body }),
});

/** The one check of a refusal: its status and its error code (the body printed when either differs). */
export function expectError(res: Reply, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.body?.error?.code, JSON.stringify(res.body)).to.equal(code);
}
