/**
 * PostgreSQL array literals for `unnest($1::uuid[], ...)` parameters of bulk statements, built
 * here rather than by node-postgres, whose generic escaping (two regular expressions and a
 * quoted copy per element) cost more than the billing cycle's own computation. Each builder
 * takes one kind of value; text is quoted and escaped. A uuid must be 36 characters: a stray
 * comma or brace inside one then makes PostgreSQL refuse the array instead of shifting every later
 * element (a regular expression per element cost as much as the escaping it replaces).
 */
const SPECIAL = /["\\]/;

export const pgArray = {
  uuid(values: readonly string[]): string {
    for (const v of values) if (v.length !== 36) throw new TypeError(`not a uuid: ${JSON.stringify(v)}`);
    return `{${values.join(',')}}`;
  },
  int(values: readonly number[]): string {
    for (const v of values) if (!Number.isSafeInteger(v)) throw new TypeError(`not an integer: ${v}`);
    return `{${values.join(',')}}`;
  },
  bigint(values: readonly bigint[]): string {
    return `{${values.join(',')}}`;
  },
  bool(values: readonly boolean[]): string {
    return `{${values.map((v) => (v ? 't' : 'f')).join(',')}}`;
  },
  text(values: readonly string[]): string {
    return `{${values.map((v) => (SPECIAL.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`)).join(',')}}`;
  },
};
