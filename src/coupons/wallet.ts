import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { findReadable, listQuery } from '../auth/scope';
import { csvDownload, type CsvDownload } from '../shared/download';
import { paginate, whereEquals } from '../db/pagination';
import { Coupon } from './coupon.entity';
import { couponJson } from './coupon-json';
import { spendableCouponIds } from './coupon-facts';
import type { LedgerQuery, WalletQuery } from './wallet.schema';

/**
 * R13, R14, R25: an account's wallet and each coupon's ledger. Only roles that may read coupons
 * get here (R3: an account member never does), and only coupons in their scope.
 */
export async function listCoupons(ctx: Ctx, q: z.output<typeof WalletQuery>) {
  const qb = listQuery(ctx, ctx.ds.manager, Coupon, 'Coupon');
  whereEquals(qb, { status: q.status, template_id: q.templateId });
  // An account's wallet: its own coupons and the vouchers shared with it (R32).
  if (q.accountId) qb.andWhere(`x.id IN ${spendableCouponIds('x.tenant_id', ':account')}`, { account: q.accountId });
  if (q.product) qb.andWhere(`(x.product_codes = '{}' OR :product = ANY(x.product_codes))`, { product: q.product });
  if (q.expiresBefore) qb.andWhere('x.valid_until < :eb', { eb: q.expiresBefore });
  const page = await paginate(qb, { ...q, direction: 'DESC' }, 'issuedAt');
  return { items: page.items.map(couponJson), nextCursor: page.nextCursor };
}

interface LedgerRow {
  id: string;
  at: Date;
  type: string;
  amount: string;
  balance_after: string;
  order_id: string | null;
  bill_id: string | null;
}

const ledgerJson = (r: LedgerRow) => ({
  id: r.id,
  at: r.at.toISOString(),
  type: r.type,
  amount: r.amount,
  balanceAfter: r.balance_after,
  orderId: r.order_id,
  billId: r.bill_id,
});

async function ledgerPage(ctx: Ctx, c: Coupon, afterId: string | null, limit: number): Promise<LedgerRow[]> {
  return ctx.ds.query(
    // Ordered and paged by the entry's number (l.id, a bigint), never by its text: "11" < "8".
    `SELECT l.id::text AS id, l.at, l.type, l.amount::text, l.balance_after::text, l.order_id, l.bill_id FROM coupon_ledger l
      WHERE l.tenant_id = $1 AND l.coupon_id = $2 AND ($3::bigint IS NULL OR l.id > $3::bigint) ORDER BY l.id LIMIT $4`,
    [c.tenantId, c.id, afterId, limit],
  );
}

export async function couponLedger(ctx: Ctx, id: string, q: z.output<typeof LedgerQuery>) {
  const c = await findReadable(ctx, ctx.ds.manager, Coupon, 'Coupon', id);
  const rows = await ledgerPage(ctx, c, q.after ?? null, q.limit + 1);
  const items = rows.slice(0, q.limit).map(ledgerJson);
  // More rows than the limit (at least 1): items holds q.limit rows, its last is there.
  return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
}

/** The ledger as a CSV download, read page by page as it is written out. */
export async function ledgerCsv(ctx: Ctx, id: string): Promise<CsvDownload> {
  const c = await findReadable(ctx, ctx.ds.manager, Coupon, 'Coupon', id);
  async function* rows() {
    let after: string | null = null;
    for (;;) {
      const page = await ledgerPage(ctx, c, after, 1000);
      for (const r of page) yield { ...ledgerJson(r), currency: c.currency };
      const last = page[page.length - 1];
      if (page.length < 1000 || !last) return;
      after = last.id;
    }
  }
  return csvDownload(`coupon-${c.id}-ledger.csv`, ['at', 'type', 'amount', 'balanceAfter', 'currency', 'orderId', 'billId'], rows());
}

/** One coupon (its account, or the issuing partner). */
export async function getCoupon(ctx: Ctx, id: string) {
  return couponJson(await findReadable(ctx, ctx.ds.manager, Coupon, 'Coupon', id));
}
