import type { Response } from 'express';
import { stringify } from 'csv-stringify';

/**
 * A CSV download on `res`: csv-stringify does the quoting, `write` waits when the client reads
 * slower than we produce, `end` resolves once the response is flushed.
 */
export function csvResponse(res: Response, filename: string, columns: string[], status = 200) {
  res.status(status).type('text/csv; charset=utf-8').attachment(filename);
  const csv = stringify({ header: true, columns });
  csv.pipe(res);
  return {
    async write(row: Record<string, unknown>): Promise<void> {
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
    },
    async end(): Promise<void> {
      csv.end();
      await new Promise((resolve) => res.once('finish', resolve));
    },
  };
}
