import fc from 'fast-check';
import type { Schema } from './openapi';
import { hostileDigits, hostileInstant, hostileNumber, hostileString, nested, ODD_MONTHS, onceIn, unknownKey, wrongType } from './hostile';

/** What the generators need from the world: real ids by what they name, and real e-mail addresses. */
export interface Pools {
  /** Values that exist for a field of that name (productCode: a real product; currency: USD), if any. */
  known(name: string): string[];
  /** Real ids for a field or path parameter named `hint` (accountId, templateId, id under /v1/orders...). */
  ids(hint: string): string[];
  emails: string[];
}

const types = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
const isMoney = (s: Schema) => typeof s.example === 'string' && /^\d+$/.test(s.example);
const isMonthLike = (s: Schema) => !!s.pattern && s.pattern.includes('\\d{4}-');
const isCursor = (name: string) => name === 'cursor';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Cursors the API did not issue: the right shape ([instant, uuid]) with odd instants, and near misses. */
export const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(hostileInstant, fc.uuid()).map(b64) },
  { weight: 1, arbitrary: fc.tuple(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.oneof(fc.uuid(), hostileString)).map(([d, id]) => b64([d.toISOString(), id])) },
  { weight: 1, arbitrary: fc.constantFrom(b64([]), b64(['x']), b64({}), b64('null'), b64([null, null]), b64(['2024-01-01T00:00:00Z', 'x', 'y']), '', '=', 'AAAA', '%ZZ') },
  { weight: 1, arbitrary: fc.tuple(hostileInstant, hostileInstant).map(b64) },
  { weight: 1, arbitrary: hostileString },
);

/** A value that fits `s` (what a careful client sends), for a field called `name`. */
export function plausible(s: Schema, name: string, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => plausible(a, name, pools, depth)));
  const t = types(s);
  const pick = t.length > 1 ? t : undefined;
  if (pick) return fc.oneof(...pick.map((one) => plausible({ ...s, type: one }, name, pools, depth)));
  switch (t[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1e6, noNaN: true });
    case 'array': {
      const item = s.items ? plausible(s.items, name, pools, depth + 1) : fc.constant(null);
      return fc.uniqueArray(item, { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3), selector: (v) => JSON.stringify(v) });
    }
    case 'object':
      return objectOf(s, pools, depth, false);
    default:
      return plausibleString(s, name, pools);
  }
}

function plausibleString(s: Schema, name: string, pools: Pools): fc.Arbitrary<string> {
  if (isCursor(name)) return forgedCursor;
  const known = pools.known(name);
  if (known.length) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: plausibleString(s, '', { ...pools, known: () => [] }) });
  if (s.format === 'uuid') {
    const real = pools.ids(name);
    return real.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid();
  }
  if (s.format === 'email') return pools.emails.length ? fc.oneof(fc.constantFrom(...pools.emails), fc.emailAddress()) : fc.emailAddress();
  if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (isMoney(s)) return fc.bigInt({ min: 0n, max: 10n ** 9n }).map(String);
  if (s.pattern) {
    try {
      const re = new RegExp(s.pattern);
      return fc.stringMatching(re).filter((v) => v.length <= (s.maxLength ?? 10_000));
    } catch {
      // A pattern JavaScript cannot read (the document's own fault): any short string.
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 20, 20) });
}

/** A value where `s` is expected that a careful client would not send, aimed at `s`'s own weak spots. */
export function hostile(s: Schema, name: string): fc.Arbitrary<unknown> {
  const t = types(s);
  const aimed: fc.Arbitrary<unknown>[] = [wrongType];
  if (t.includes('string') || s.enum || s.format) {
    aimed.push(hostileString);
    if (s.maxLength !== undefined) aimed.push(fc.constant('x'.repeat(s.maxLength + 1)));
    if (s.format === 'date-time') aimed.push(hostileInstant, hostileInstant);
    if (isMonthLike(s)) aimed.push(fc.constantFrom(...ODD_MONTHS), fc.constantFrom(...ODD_MONTHS));
    if (isMoney(s) || (s.pattern ?? '').includes('\\d')) aimed.push(hostileDigits, hostileDigits);
    if (isCursor(name)) aimed.push(forgedCursor, forgedCursor);
    if (s.enum) aimed.push(fc.constantFrom(...s.enum.map((e) => `${String(e)}\u0000`), ...s.enum.map((e) => String(e).toUpperCase())));
  }
  if (t.includes('integer') || t.includes('number')) {
    aimed.push(hostileNumber, hostileNumber, hostileDigits, fc.constantFrom(...[s.minimum, s.maximum].filter((v) => v !== undefined).flatMap((v) => [v! - 1, v! + 1, v! + 0.5])));
  }
  if (t.includes('array')) {
    const item = s.items ? plausible(s.items, name, { ids: () => [], known: () => [], emails: [] }) : fc.constant(1);
    aimed.push(hugeArray(item, s.maxItems), fc.constant(nested(200, [], true)), fc.constant([[]]));
  }
  if (t.includes('object')) aimed.push(fc.constant(nested(200, {}, false)), fc.constant([]));
  return fc.oneof(...aimed);
}

/** Past maxItems, or simply very many: one item repeated (small enough for the 2 MB body limit). */
function hugeArray(item: fc.Arbitrary<unknown>, maxItems = 1000): fc.Arbitrary<unknown[]> {
  return fc.tuple(item, fc.constantFrom(maxItems + 1, 20_000)).map(([one, n]) => {
    const size = JSON.stringify(one ?? null).length + 1;
    return Array.from({ length: Math.min(n, Math.floor(1_500_000 / size)) }, () => one);
  });
}

/** Mostly what fits, with a hostile value in about one field in five, at any depth. */
export function fuzzed(s: Schema, name: string, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (types(s).includes('object') && s.properties && depth < 4) {
    return fc.oneof({ weight: 5, arbitrary: objectOf(s, pools, depth, true) }, { weight: 1, arbitrary: hostile(s, name) });
  }
  if (types(s).includes('array') && s.items && depth < 4) {
    const items = fc.array(fuzzed(s.items, name, pools, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    return fc.oneof({ weight: 4, arbitrary: items }, { weight: 1, arbitrary: hostile(s, name) });
  }
  return fc.oneof({ weight: 7, arbitrary: plausible(s, name, pools, depth) }, { weight: 1, arbitrary: hostile(s, name) });
}

/**
 * An object of `s`: every required field, any optional ones, sometimes unknown fields too. With
 * `hostileFields`, each field's value comes from `fuzzed` (so hostile ones appear at any depth).
 */
function objectOf(s: Schema, pools: Pools, depth: number, hostileFields: boolean): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const model = Object.fromEntries(
    Object.entries(props).map(([k, v]) => [k, hostileFields ? fuzzed(v, k, pools, depth + 1) : plausible(v, k, pools, depth + 1)]),
  );
  const requiredKeys = Object.keys(props).filter((k) => required.has(k));
  const base = fc.record(model, { requiredKeys });
  if (!hostileFields) return base;
  return fc.tuple(base, onceIn(6, fc.dictionary(unknownKey, wrongType, { minKeys: 1, maxKeys: 3 })),
    requiredKeys.length ? onceIn(10, fc.constantFrom(...requiredKeys)) : fc.constant(null),
  ).map(
    ([obj, extra, drop]) => {
      const out: Record<string, unknown> = { ...obj };
      if (drop !== null) delete out[drop]; // a required field left out, sometimes
      // defineProperty, so that "__proto__" becomes an own key that JSON.stringify sends.
      for (const [k, v] of Object.entries(extra ?? {})) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    },
  );
}

/** The leaves of `s` (fields that are not objects or arrays of objects), as paths; arrays by their first item. */
function leaves(s: Schema, path: (string | number)[] = [], depth = 0): { path: (string | number)[]; schema: Schema }[] {
  if (depth > 5) return [];
  const t = types(s);
  const alts = s.anyOf ?? s.oneOf;
  if (t.includes('object') && s.properties) return [{ path, schema: s }, ...Object.entries(s.properties).flatMap(([k, v]) => leaves(v, [...path, k], depth + 1))];
  if (t.includes('array') && s.items) return [{ path, schema: s }, ...leaves(s.items, [...path, 0], depth + 1).filter((l) => l.path.length > path.length + 1 || !types(l.schema).includes('array'))];
  const alt = alts?.[0];
  if (alt && alts.some((a) => a.properties)) return [{ path, schema: s }, ...leaves(alt, path, depth + 1).slice(1)];
  return [{ path, schema: s }];
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value; // the path is empty
  const here = (root ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
  const copy = (Array.isArray(here) ? [...here] : { ...here }) as Record<string | number, unknown>;
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

/**
 * What fits `s`, with exactly one field (at any depth) replaced by a hostile value: the probe that
 * gets one bad value past a schema that is otherwise satisfied, to the service and the database.
 */
export function mutatedOnce(s: Schema, pools: Pools): fc.Arbitrary<unknown> {
  const all = leaves(s).filter((l) => l.path.length > 0);
  if (!all.length) return fuzzed(s, 'body', pools);
  const base = plausible(s, 'body', pools);
  return fc.oneof(...all.map((l) => fc.tuple(base, hostile(l.schema, String(l.path[l.path.length - 1]))).map(([v, h]) => setAt(v, l.path, h))));
}
