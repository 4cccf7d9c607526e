import fc from 'fast-check';

/**
 * Hostile primitives: the values a careless client or an attacker sends where a field is expected.
 * Each arbitrary is a weighted mix of fixed nasty cases and fast-check's own generators around them.
 */

// Numbers at and past every boundary the stack has: JS safe integers, int4, int8, float limits.
export const NASTY_NUMBERS = [
  0, -0, -1, 1, 0.5, -0.5, 1e-300, 1e308, -1e308, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, 2 ** 63, -(2 ** 63), 2 ** 64,
  1e19, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE,
];

// The same boundaries as strings of digits, as money ("integer minor units as a string") and ids travel.
export const NASTY_DIGITS = [
  '0', '-0', '-1', '00', '+1', '1.5', '1e3', '1e308', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '-Infinity',
  '2147483647', '2147483648', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '9999999999999999999', '18446744073709551616', '99999999999999999999999999999999999999', '1'.repeat(400), '١٢٣', '１２３',
];

// Characters that break encoders, databases and display: NUL and other controls, lone surrogates,
// bidi overrides, zero-width and combining marks, emoji (astral plane), BOM, non-characters.
export const NASTY_CHARS = [
  '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\ud800', '\udfff', '\udc00\ud800', '\u202e', '\u200f', '\u2066', '\u200b', '\u200d',
  '\ufeff', '\ufffe', '\uffff', '\u0301\u0301\u0301', '😀', '👩‍👩‍👧‍👦', '🏳️‍🌈', '\u{10ffff}', '\r\n', '\t', '\\', '"', "'", '%', '%00', '${x}', '<script>',
];

export const NASTY_STRINGS = [
  '', ' ', 'null', 'undefined', 'true', '[]', '{}', "' OR 1=1 --", '"; DROP TABLE coupons; --', '../../etc/passwd', '%ZZ', '%', '%E0%A4%A',
  '\u0000', 'a\u0000b', '\ud800', 'x'.repeat(10_001), '😀'.repeat(1000),
];

// Numbers JSON can carry but a JS number cannot: sent as written (see jsonText), e.g. 9999999999999999999
// reaches the server as 1e19 after JSON.parse, and 1e400 as Infinity.
const RAW_NUMBERS = ['9999999999999999999', '-9999999999999999999', '9223372036854775808', '18446744073709551616', '1e400', '-1e400', '1e-400', '123456789012345678901234567890'];
const raw = (n: string) => `RAW#${n}#RAW`;
const RAW = /"RAW#([-+.e0-9]+)#RAW"/g;

/** JSON text of `v`, with the raw numbers written as numbers. */
export const jsonText = (v: unknown) => JSON.stringify(v)?.replace(RAW, '$1');
/** A query or path text with the raw numbers' digits. */
export const unraw = (s: string) => s.replace(/RAW#([-+.e0-9]+)#RAW/g, '$1');

const nastyChar = fc.constantFrom(...NASTY_CHARS);

/** A string with nasty characters spliced into ordinary text, or one of the fixed nasty strings. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 4, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), nastyChar, fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c) },
  { weight: 2, arbitrary: fc.array(nastyChar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

export const hostileNumber: fc.Arbitrary<number | string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_NUMBERS.map(raw)) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer() },
);

/** Digit strings at the boundaries of int4/int8/JS numbers, and things that only look like numbers. */
export const hostileDigits: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_DIGITS) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String) },
  { weight: 1, arbitrary: hostileString },
);

// ISO-looking instants PostgreSQL, Date and zod each read differently: year 0000 (no such year in
// PostgreSQL), 9999 and past it, leap seconds, day 30 of February, offsets past ±14:00, six-digit years.
export const ODD_INSTANTS = [
  '0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z', '0000-12-31T23:59:59+14:00', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59-14:00', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '1970-01-01T00:00:00Z',
  '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-00-10T00:00:00Z', '2024-01-01T24:00:00Z', '2016-12-31T23:59:60Z',
  '2024-01-01T00:00:00+99:99', '2024-01-01T00:00:00+24:00', '2024-01-01T00:00:00.123456789Z', '2024-01-01', '2024-01-01T00:00:00', '2024-01-01 00:00:00Z',
  '2024-W01-1', 'today', 'infinity', '-infinity', 'epoch', 'now', 'allballs', '2024-01-01T00:00:00Z\u0000', '２０２４-01-01T00:00:00Z',
];

// Year-month and date strings for the YYYY-MM(-DD) query parameters.
export const ODD_MONTHS = ['0000-00', '0000-01', '9999-12', '9999-99', '2024-00', '2024-13', '2024-02-30', '0000-01-01', '9999-12-31', '2024-1', '10000-01', '-001-01'];

export const hostileInstant: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_INSTANTS) },
  { weight: 1, arbitrary: fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:00:00Z`) },
);

// Path ids that are not ids: broken percent-escapes (express decodes params and throws on these),
// encoded NUL, slashes and dots, overlong and odd-unicode ids.
export const ODD_PATH_IDS = [
  '%ZZ', '%', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%00', '%2F', '%2e%2e', '..', '.', 'null', '0', '-1', '9999999999999999999', '1e308',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '7B0F0F3E-4A4E-4F7E-9A51-1D2B2C3D4E5F', '%7B0f0f3e-4a4e-4f7e-9a51-1d2b2c3d4e5f',
  'a'.repeat(5000), '%F0%9F%98%80', '%E2%80%AE', 'undefined', '{id}', ':id',
];

/** Percent-encodes the UTF-8 bytes of `s` (lone surrogates become U+FFFD, as any client sends them). */
export function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** A path segment that is not a valid id (already URL-encoded, or deliberately malformed). */
export const oddPathSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...ODD_PATH_IDS) },
  { weight: 10, arbitrary: hostileString.filter((s) => s.length > 0).map(pct) },
  { weight: 5, arbitrary: fc.uuid().map((u) => `${u}%00`) },
  { weight: 5, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constant('a'.repeat(20_000)) }, // past the 16 KiB Node allows a request line
);

/** Any JSON value of the wrong kind: what a field gets when the client has the type wrong. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, [], {}, [null], { '': null }, [[[]]]),
  hostileNumber,
  hostileString,
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), hostileString, { maxKeys: 3 }),
);

/** `arb` about once in `n` (else null): fc.option's `freq` is the other way round (null once in freq). */
export const onceIn = <T>(n: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

/** JSON nested `depth` levels deep, in arrays or objects. */
export function nested(depth: number, leaf: unknown, inArrays: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = inArrays ? [v] : { a: v };
  return v;
}

/** Unknown field names, including the ones that upset plain-object code. */
export const unknownKey = fc.oneof(
  fc.constantFrom('isAdmin', '__proto__', 'constructor', 'prototype', 'tenantId', 'id', 'role', '', '\u0000', '😀', '$where', 'a.b', 'toString'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
