import type { ReactNode } from 'react';

export interface Column<T> {
  /** The column header. */
  header: string;
  /** The cell of one row. */
  cell: (row: T) => ReactNode;
  /** Numbers and money align right. */
  align?: 'left' | 'right';
}

/**
 * A plain data table: a caption (its accessible name), column headers with scope, one row per item.
 * Give `empty` for what to show instead when there are no rows.
 */
export function Table<T>({ caption, columns, rows, rowKey, empty }: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty?: ReactNode;
}) {
  if (rows.length === 0 && empty) return <>{empty}</>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.align === 'right' ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.header} className={c.align === 'right' ? 'num' : undefined}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
