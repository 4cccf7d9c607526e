import { ForbiddenError } from '@casl/ability';
import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { MAX_MINOR_UNITS } from '../shared/money-schema';
import { inTransaction } from '../db/tx';
import { first } from '../db/rows';
import type { UsageBody } from './billing.schema';

/**
 * Usage ingest and cycle starts take this lock (shared and exclusive): a cycle starts only once no
 * ingest is in flight, so a record either is stored before its period's cycle exists (and that
 * cycle reads it) or finds the cycle and is refused. No record is left unbilled in a billed period.
 */
export const PERIODS_LOCK = `hashtextextended('billing.periods', 0)`;

/**
 * R23: usage in, idempotent per (account, usage id); accounts are looked up, never trusted. A
 * record whose period a cycle has already started billing is refused (it would never be billed),
 * and so is a batch that would take one account's usage of a product in a UTC day past what a bill
 * can hold (a bill's amount is a bigint: such usage could never be billed either).
 */
export async function ingestUsage(ctx: Ctx, body: z.output<typeof UsageBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('create', 'Usage');
  const r = body.records;
  // One transaction: a batch naming an unknown account rolls back whole.
  return inTransaction(ctx.ds, async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock_shared(${PERIODS_LOCK})`);
    const billed: { usage_id: string; cycle_id: string }[] = await em.query(
      `SELECT x.usage_id, c.id AS cycle_id
         FROM unnest($1::text[], $2::timestamptz[]) AS x(usage_id, occurred_at)
         JOIN billing_cycles c ON c.period_start <= x.occurred_at AND x.occurred_at < c.period_end
        ORDER BY x.usage_id LIMIT 100`,
      [r.map((x) => x.usageId), r.map((x) => x.occurredAt)],
    );
    if (billed.length) {
      throw new AppError('period_already_billed', 'some records fall in a period whose billing cycle has started; none was stored', {
        records: billed.map((b) => ({ usageId: b.usage_id, cycleId: b.cycle_id })),
      });
    }
    const rows: { accepted: number; unknown: string[]; too_large: { accountId: string; productCode: string; currency: string; day: string }[] }[] = await em.query(
      `WITH x AS (
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[]) AS x(usage_id, account_id, product_code, currency, amount, occurred_at)
       ), ins AS (
         INSERT INTO usage_records (tenant_id, account_id, usage_id, product_code, currency, amount, occurred_at)
         SELECT a.tenant_id, x.account_id, x.usage_id, x.product_code, x.currency, x.amount, x.occurred_at
           FROM x JOIN accounts a ON a.id = x.account_id
         ON CONFLICT DO NOTHING RETURNING tenant_id, account_id, product_code, currency, amount, occurred_at
       ), days AS (
         SELECT tenant_id, account_id, product_code, currency, date_trunc('day', occurred_at, 'UTC') AS day, sum(amount) AS amount
           FROM ins GROUP BY 1, 2, 3, 4, 5
       ), over AS (
         SELECT d.account_id, d.product_code, d.currency, d.day
           FROM days d
          WHERE d.amount + coalesce((SELECT sum(u.amount) FROM usage_records u
                                      WHERE u.tenant_id = d.tenant_id AND u.account_id = d.account_id AND u.product_code = d.product_code
                                        AND u.currency = d.currency AND u.occurred_at >= d.day AND u.occurred_at < d.day + interval '1 day'), 0) > $7
          ORDER BY 1, 2, 3, 4 LIMIT 100
       )
       SELECT (SELECT count(*) FROM ins)::int AS accepted,
              ARRAY(SELECT DISTINCT x.account_id::text FROM x WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = x.account_id)) AS unknown,
              (SELECT coalesce(json_agg(json_build_object('accountId', account_id, 'productCode', product_code, 'currency', currency,
                                                          'day', to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD'))), '[]') FROM over) AS too_large`,
      [r.map((x) => x.usageId), r.map((x) => x.accountId), r.map((x) => x.productCode), r.map((x) => x.currency), r.map((x) => x.amount.toString()), r.map((x) => x.occurredAt), MAX_MINOR_UNITS.toString()],
    );
    const res = first(rows, 'usage ingest'); // a SELECT of scalar subqueries: one row
    if (res.unknown.length) throw new AppError('unknown_accounts', 'some records name unknown accounts; none was stored', { accountIds: res.unknown });
    if (res.too_large.length) {
      throw new AppError('usage_total_too_large', `an account's usage of a product in one UTC day may not pass ${MAX_MINOR_UNITS}; none was stored`, { lines: res.too_large });
    }
    return { received: r.length, accepted: res.accepted, duplicates: r.length - res.accepted };
  });
}

