import type { DataSource, EntityManager } from 'typeorm';
import { logger } from '../logger';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

export function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs `work` in a transaction and retries it, a bounded number of times, when PostgreSQL aborts
 * it for a serialization failure or a deadlock. `work` must be safe to run again from the start.
 * Given a QueryRunner's manager instead of the DataSource, it runs on that one connection (whose
 * temporary tables it then sees).
 */
export async function inTransaction<T>(
  ds: Pick<DataSource, 'transaction'>,
  work: (em: EntityManager) => Promise<T>,
  opts: { isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE'; attempts?: number } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      // READ COMMITTED is the server's default: naming it would cost a SET TRANSACTION round trip.
      return await (opts.isolation && opts.isolation !== 'READ COMMITTED' ? ds.transaction(opts.isolation, work) : ds.transaction(work));
    } catch (err) {
      const code = pgCode(err);
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err;
      logger.warn({ code, attempt }, "transaction retried");
      // Jittered pause so colliding transactions do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 10 * attempt)));
    }
  }
}

/**
 * UPDATE/DELETE ... RETURNING through TypeORM's postgres driver answers [rows, rowCount] (a SELECT
 * or INSERT answers rows). This unwraps it, so a conditional update's "no row matched" is an
 * empty array and never a two-element one.
 */
export async function updateReturning<T>(em: Pick<EntityManager, 'query'>, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await em.query(sql, params)) as [T[], number];
  return rows;
}
