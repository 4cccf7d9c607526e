/**
 * The element at `i` of a statement's rows (or of any list) that must be there: an aggregate,
 * `SELECT now()`, an INSERT or UPDATE ... RETURNING of a row known to exist. Missing, it is a bug,
 * not a 404: the error says which statement answered too few rows. Where a row may really be
 * missing (an id from a request), check it and throw the AppError instead.
 */
export function nth<T>(rows: readonly T[], i: number, what = 'row'): T {
  const row = rows[i];
  if (row === undefined) throw new Error(`${what}: expected an element at index ${i}, got ${rows.length}`);
  return row;
}

/** The first element of `rows`, which must be there (see nth). */
export const first = <T>(rows: readonly T[], what = 'row'): T => nth(rows, 0, what);
