/**
 * A CSV download, as a service answers it: the route layer (src/http/route.ts) writes it to the
 * response with csv-stringify, row by row, waiting when the client reads slower. Services never
 * see the response.
 */
export interface CsvDownload {
  readonly kind: 'csv';
  readonly filename: string;
  readonly columns: readonly string[];
  readonly rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
  /** 201 when the download is what a creation answers (generated activation codes). */
  readonly status?: 200 | 201;
}

export const csvDownload = (filename: string, columns: readonly string[], rows: CsvDownload['rows'], status?: 200 | 201): CsvDownload => ({
  kind: 'csv', filename, columns, rows, status,
});

export const isCsvDownload = (v: unknown): v is CsvDownload => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'csv';
