import { harness } from './harness';
import { couponChange, ledgerRows } from '../../src/coupons/ledger.sql';
import { first } from '../../src/db/rows';

/**
 * Coupon deductions and returns for report tests (R24, R25), at chosen instants, kept honest so that
 * the whole database still reconciles (R26): each `deduct` pays a settled pay-as-you-go bill of its
 * own (amount = deduction, no cash), each `return` gives part of the coupon's latest such bill back,
 * and every row moves the coupon's balance, with balance_after its running sum.
 */
export async function insertLedgerMoves(
  couponId: string,
  moves: { type: 'deduct' | 'return'; amount: number; at: Date; accountId?: string }[],
): Promise<void> {
  for (const m of moves) {
    await harness.ds.transaction(async (em) => {
      const c = first<{ tenant_id: string; account_id: string; partner_id: string; currency: string; balance: string }>(
        await em.query(
          `SELECT tenant_id, coalesce($2::uuid, account_id) AS account_id, partner_id, currency, balance::text FROM coupons WHERE id = $1 FOR UPDATE`,
          [couponId, m.accountId ?? null],
        ),
        `coupon ${couponId}`,
      );
      const signed = m.type === 'deduct' ? -m.amount : m.amount;
      const after = (BigInt(c.balance) + BigInt(signed)).toString();
      let billId: string;
      if (m.type === 'deduct') {
        [{ id: billId }] = await em.query(
          `INSERT INTO bills (tenant_id, account_id, partner_id, cycle_id, product_code, currency, period_start, period_end, amount,
                              coupon_deduction, cash_due, coupons_applied_at, status, due_at, settled_at)
           VALUES ($1, $2, $3, gen_random_uuid(), 'cvm', $4, $5::timestamptz - interval '1 hour', $5, $6, $6, 0, $5, 'paid', $5, $5)
           RETURNING id`,
          [c.tenant_id, c.account_id, c.partner_id, c.currency, m.at, m.amount],
        );
      } else {
        [{ bill_id: billId }] = await em.query(
          `SELECT bill_id FROM coupon_ledger WHERE coupon_id = $1 AND type = 'deduct' AND bill_id IS NOT NULL ORDER BY id DESC LIMIT 1`,
          [couponId],
        );
      }
      await em.query(ledgerRows({ type: m.type, tenant: '$1', coupon: '$2', account: '$3', amount: '$4', after: '$5', bill: '$6', at: '$7' }), [
        c.tenant_id, couponId, c.account_id, signed, after, billId, m.at,
      ]);
      await em.query(couponChange({ balance: '$3', status: 'c.status', where: 'c.tenant_id = $1 AND c.id = $2', returning: 'c.id' }), [c.tenant_id, couponId, after]);
    });
  }
}

/** 'YYYY-MM' of the UTC month `back` months before now (0 = this month). */
export function monthsAgo(back: number, now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return d.toISOString().slice(0, 7);
}

/** The 15th, noon UTC, of a 'YYYY-MM' month. */
export const midMonth = (month: string) => new Date(`${month}-15T12:00:00Z`);
