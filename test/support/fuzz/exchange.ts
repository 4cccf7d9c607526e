import { harness } from '../harness';
import type { FuzzRequest } from './request';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Sends the request as bytes, so that no content type is added when none is given. */
export async function send(req: FuzzRequest, token: string | undefined, timeoutMs: number): Promise<{ sent: Record<string, string>; answer: Answer }> {
  const sent = { ...req.headers, ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(harness.baseUrl + req.path, { method: req.method, headers: sent, body: req.body === undefined ? undefined : Buffer.from(req.body, 'utf8'),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { sent, answer: { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sameKeys = (v: Record<string, unknown>, keys: string[]) => Object.keys(v).sort().join() === [...keys].sort().join();

/** What is wrong with an answer, apart from writes (which need the database): empty when nothing. */
export function problemsOf(req: FuzzRequest, a: Answer): string[] {
  const problems: string[] = [];
  if (a.status >= 500) problems.push(`answered ${a.status} (never a 5xx)`);
  if (a.status >= 200 && a.status < 300) {
    if (req.notJson) problems.push(`accepted (${a.status}) a body sent as ${req.headers['content-type'] ?? 'no content type'}, not as JSON`);
    return problems;
  }
  let body: unknown;
  try {
    body = JSON.parse(a.text);
  } catch {
    problems.push('a non-2xx answer whose body is not JSON');
    return problems;
  }
  const e = isObject(body) ? body.error : undefined;
  const shaped =
    isObject(body) && sameKeys(body, ['error']) && isObject(e) && sameKeys(e, ['code', 'message', 'details']) &&
    typeof e.code === 'string' && typeof e.message === 'string' && (e.details === null || typeof e.details === 'object');
  if (!shaped) problems.push('a non-2xx answer not shaped {"error":{"code":string,"message":string,"details":null|object|array}}');
  if (!/^application\/json\b/.test(a.headers['content-type'] ?? '')) problems.push(`a non-2xx answer sent as ${a.headers['content-type'] ?? 'no content type'}`);
  return problems;
}

const visible = (s: string, max: number) => {
  const shown = s.length > max ? `${s.slice(0, max)}... (${s.length} characters in all)` : s;
  // Control characters, lone surrogates and bidi marks print as escapes, so the message shows what was sent.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return shown.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
};

/** The request and the answer, as a failure message prints them. */
export function describeExchange(req: FuzzRequest, sent: Record<string, string>, a: Answer | undefined, problems: string[]): string {
  const lines = [
    `${req.op}, sent as ${req.actor}:`,
    `  > ${req.method} ${visible(req.path, 600)}`,
    ...Object.entries(sent).map(([k, v]) => `  > ${k}: ${v}`),
    req.body === undefined ? '  > (no body)' : `  > ${visible(req.body, 1500)}`,
  ];
  if (a) {
    lines.push(`  < ${a.status} ${a.headers['content-type'] ?? '(no content type)'}`, `  < ${visible(a.text, 1500)}`);
  }
  lines.push(...problems.map((p) => `  ! ${p}`));
  return lines.join('\n');
}
