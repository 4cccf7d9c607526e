import fc from 'fast-check';
import { opName, type Operation, type Param } from './openapi';
import { fuzzed, mutatedOnce, plausible, type Pools } from './from-schema';
import { hostileString, jsonText, nested, oddPathSegment, onceIn, pct, unknownKey, unraw, wrongType } from './hostile';
import { nth } from '../../../src/db/rows';

export type ActorName = 'platform_admin' | 'partner_admin' | 'account_finance' | 'no token' | 'malformed token';

/** One fuzzed request, as sent: everything a failure message needs to replay it. */
export interface FuzzRequest {
  op: string; // "POST /v1/orders/{id}": the operation it was made for
  actor: ActorName;
  method: string;
  path: string; // path and query, URL-encoded (or deliberately mis-encoded)
  headers: Record<string, string>;
  body?: string;
  /** Sent with a body but not as JSON: such a request must never be accepted. */
  notJson: boolean;
}

const ID_KIND: Record<string, string> = {
  partners: 'partner', accounts: 'account', users: 'user', tokens: 'token', templates: 'template', 'issuance-requests': 'request',
  'approval-queue': 'request', coupons: 'coupon', orders: 'order', bills: 'bill', 'billing-cycles': 'cycle', 'voucher-pools': 'pool',
  vouchers: 'voucher', faults: 'fault',
};

/** The kind of object a path parameter names: the collection segment in front of it. */
export function idKind(path: string, param: string): string {
  const segs = path.split('/');
  const at = segs.indexOf(`{${param}}`);
  return ID_KIND[segs[at - 1] ?? ''] ?? param;
}

const asQueryText = (v: unknown) => unraw(typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : JSON.stringify(v));

function pathValue(op: Operation, p: Param, pools: Pools, lockout: boolean): fc.Arbitrary<string> {
  const kind = idKind(op.path, p.name);
  const real = pools.ids(lockout ? `${kind}:write` : kind);
  const fitting = p.schema.format === 'uuid' ? fc.uuid() : fuzzed(p.schema, p.name, pools).map((v) => pct(asQueryText(v)));
  return fc.oneof(
    { weight: real.length ? 5 : 0, arbitrary: real.length ? fc.constantFrom(...real) : fc.uuid() },
    { weight: 2, arbitrary: fitting },
    { weight: 3, arbitrary: oddPathSegment },
  );
}

/** key=value pairs: each parameter sometimes, a value that fits or a hostile one, sometimes twice or mis-encoded. */
function queryOf(op: Operation, pools: Pools): fc.Arbitrary<string> {
  const params = op.params.filter((p) => p.in === 'query');
  const one = (p: Param) =>
    fc.option(
      fc.tuple(fuzzed(p.schema, p.name, pools), fc.constantFrom(...Array<string>(8).fill('once'), 'twice', 'raw')).map(([v, how]) => {
        const text = asQueryText(v);
        if (how === 'raw') return `${p.name}=${text.replace(/[&#\s]/g, '')}`; // unencoded: malformed escapes stay malformed
        const pair = `${p.name}=${pct(text)}`;
        return how === 'twice' ? `${pair}&${pair}` : pair;
      }),
      { freq: 2 },
    );
  const unknown = onceIn(8, fc.tuple(unknownKey, hostileString).map(([k, v]) => `${pct(k)}=${pct(v)}`));
  return fc.tuple(fc.tuple(...params.map(one)), unknown).map(([pairs, extra]) => [...pairs, extra].filter((x): x is string => !!x).join('&'));
}

// Header values fetch can carry: printable ASCII.
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });

function headersOf(op: Operation, pools: Pools): fc.Arbitrary<Record<string, string>> {
  const params = op.params.filter((p) => p.in === 'header' && p.name !== 'content-type');
  const one = (p: Param) =>
    fc.option(
      fc.oneof({ weight: 3, arbitrary: fuzzed(p.schema, p.name, pools).map(asQueryText) }, { weight: 1, arbitrary: headerText }).map((v) => [p.name, v.replace(/[^\x20-\x7e]/g, '')] as const),
      { freq: 6 },
    );
  return fc.tuple(...params.map(one)).map((pairs) => Object.fromEntries(pairs.filter((x) => x !== null)));
}

const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'none', 'text/plain; charset=utf-8', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=latin1'];

interface Body {
  text?: string;
  contentType?: string; // undefined: none sent
}

function bodyOf(op: Operation, pools: Pools): fc.Arbitrary<Body> {
  const json = (v: unknown): Body => ({ text: jsonText(v), contentType: 'application/json' });
  const fitting = op.body ? fc.oneof(mutatedOnce(op.body, pools), fuzzed(op.body, 'body', pools)) : fc.constantFrom<unknown>({}, { x: 1 }, null);
  // A body that would be accepted as JSON, so that accepting it under another type shows.
  const valid = op.body ? plausible(op.body, 'body', pools) : fc.constant<unknown>({});
  const asWrongType = fc.tuple(valid, fc.constantFrom(...WRONG_TYPES), fc.boolean()).map(([v, type, asForm]): Body => ({
    text: asForm && type.includes('urlencoded') ? new URLSearchParams(Object.entries(v ?? {}).map(([k, x]): [string, string] => [k, asQueryText(x)])).toString() : jsonText(v),
    contentType: type === 'none' ? undefined : type,
  }));
  const alternatives: fc.WeightedArbitrary<Body>[] = [
    { weight: op.body ? 12 : 0, arbitrary: fitting.map(json) },
    { weight: 2, arbitrary: asWrongType },
    { weight: 1, arbitrary: fc.constant(json([])) },
    { weight: 1, arbitrary: wrongType.map(json) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean()).map(([d, arr]) => json(nested(d, 1, arr))) },
    { weight: 1, arbitrary: fc.dictionary(unknownKey, wrongType, { minKeys: 1, maxKeys: 4 }).map(json) },
    { weight: 1, arbitrary: fc.constantFrom('{"a":', '{"a":1}{"b":2}', '\u0000', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"__proto__":{"isAdmin":true}}', '1e99999', '"x"', 'null', '').map((t): Body => ({ text: t, contentType: 'application/json' })) },
    { weight: op.body ? 0 : 6, arbitrary: fc.constant<Body>({}) },
  ];
  return fc.oneof(...alternatives);
}

/** Every request this operation can be sent: any of the actors, fuzzed path, query, headers and body. */
export function requestFor(op: Operation, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  // Writes never aim at the actors' own user, token, partner or account: a fuzzed deactivation or
  // revocation that succeeded would lock the actors out and blind the rest of the run.
  const lockout = op.method !== 'GET';
  const actor = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom<ActorName>('platform_admin', 'partner_admin', 'account_finance') },
    { weight: 1, arbitrary: fc.constantFrom<ActorName>('no token', 'malformed token') },
  );
  return fc
    .record({
      actor,
      segments: fc.tuple(...pathParams.map((p) => pathValue(op, p, pools, lockout))),
      query: queryOf(op, pools),
      headers: headersOf(op, pools),
      body: op.method === 'GET' ? fc.constant<Body>({}) : bodyOf(op, pools), // fetch sends no body with a GET
    })
    .map(({ actor: who, segments, query, headers, body }) => {
      let path = op.path;
      pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, nth(segments, i)))); // a segment per path parameter
      const all: Record<string, string> = { accept: 'application/json', ...headers };
      if (body.contentType) all['content-type'] = body.contentType;
      const notJson = !!body.text && !/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(body.contentType ?? '');
      return { op: opName(op), actor: who, method: op.method, path: query ? `${path}?${query}` : path, headers: all, body: body.text, notJson };
    });
}
