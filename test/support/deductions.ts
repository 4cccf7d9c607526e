import { harness } from './harness';

/**
 * Ledger rows for coupon-deduction reports (R24, R25): `deduct` (negative amount) and `return`
 * (positive) rows on an existing coupon, at chosen instants. The report reads only the ledger, so
 * the coupon's balance is left alone; keep these to report tests (ledgerMismatches would flag them).
 */
export async function insertLedgerMoves(
  couponId: string,
  moves: { type: 'deduct' | 'return'; amount: number; at: Date; accountId?: string }[],
): Promise<void> {
  for (const m of moves) {
    await harness.ds.query(
      `INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after, at)
       SELECT tenant_id, id, coalesce($2::uuid, account_id), $3, $4, 0, $5 FROM coupons WHERE id = $1`,
      [couponId, m.accountId ?? null, m.type, m.type === 'deduct' ? -m.amount : m.amount, m.at],
    );
  }
}

/** 'YYYY-MM' of the UTC month `back` months before now (0 = this month). */
export function monthsAgo(back: number, now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return d.toISOString().slice(0, 7);
}

/** The 15th, noon UTC, of a 'YYYY-MM' month. */
export const midMonth = (month: string) => new Date(`${month}-15T12:00:00Z`);
