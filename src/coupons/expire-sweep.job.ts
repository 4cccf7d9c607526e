import type { ChunkedHandler } from '../jobs/run-job';
import { inTransaction } from '../db/tx';
import { first } from '../db/rows';
import { couponAudit, couponChange, ledgerRows } from './ledger.sql';

const BATCH = 5000;

/**
 * R14, R25: coupons whose window has closed become `expired`; what was left is written off by an
 * `expire` ledger row (balance = sum of ledger stays true), with the coupon's audit row, in one
 * statement per batch. Validity is never extended. Safe to run twice or concurrently: it takes only
 * `unused` coupons, with SKIP LOCKED. R31: offline coupons nobody activated in time expire too; they
 * hold no balance and have no ledger yet, so they get no ledger row.
 */
export const EXPIRE_SQL = `
WITH due_unused AS (
  SELECT tenant_id, id, account_id, balance, status FROM coupons
   WHERE status = 'unused' AND valid_until <= now()
   ORDER BY valid_until LIMIT $1 FOR UPDATE SKIP LOCKED
), due_pending AS (
  SELECT tenant_id, id, account_id, balance, status FROM coupons
   WHERE status = 'pending_activation' AND valid_until <= now()
   ORDER BY valid_until LIMIT $1 FOR UPDATE SKIP LOCKED
), due AS (
  SELECT * FROM due_unused UNION ALL SELECT * FROM due_pending
), upd AS (
  ${couponChange({ balance: '0', status: "'expired'", from: 'due', where: 'c.tenant_id = due.tenant_id AND c.id = due.id', returning: 'c.tenant_id, c.id' })}
), led AS (
  ${ledgerRows({ type: 'expire', from: 'due_unused', tenant: 'tenant_id', coupon: 'id', account: 'account_id', amount: '-balance', after: '0' })}
), aud AS (
  ${couponAudit({ from: 'due', tenant: 'tenant_id', coupon: 'id', action: 'expired', fromStatus: 'status', toStatus: "'expired'", reason: "'validity window ended'" })}
)
SELECT count(*)::int AS n FROM upd`;

export const expireCoupons: ChunkedHandler<'coupons.expire-sweep'> = async (_payload, { ds, log, complete }) => {
  let total = 0;
  for (;;) {
    const { n } = first<{ n: number }>(await ds.query(EXPIRE_SQL, [BATCH]), 'expire sweep'); // count(*): one row
    total += n;
    if (n < BATCH) break; // both kinds are below a batch: none left
  }
  await inTransaction(ds, complete);
  if (total) log.info({ expired: total }, 'coupons expired');
};
