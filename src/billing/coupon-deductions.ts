import { z } from '../shared/zod';
import { Id } from '../shared/schemas';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { authorize, findReadable } from '../auth/scope';
import { toBigInt } from '../shared/money';
import { Partner } from '../tenancy/partners/partner.entity';

/**
 * R24, for charts: a partner's coupon deductions per month (UTC) x subaccount x currency over a range
 * of months, read-only, from the same ledger rows as the monthly coupon report (statements.ts):
 * `deduct` rows count as deducted, `return` rows (R27/R28 refunds) as returned; net = deducted -
 * returned. Amounts are strings of integer minor units. At most 24 months per call.
 */
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a YYYY-MM month');
const MAX_MONTHS = 24;

export const DeductionsQuery = z.strictObject({
  from: Month.describe('First month, YYYY-MM (UTC)'),
  to: Month.describe('Last month, YYYY-MM (UTC), inclusive'),
  accountId: Id.optional().describe('Only this subaccount'),
});

const DeductionRow = z.object({
  month: z.string().describe('YYYY-MM'),
  accountId: Id,
  accountName: z.string(),
  currency: z.string(),
  deducted: z.string(),
  returned: z.string(),
  net: z.string(),
});
export const DeductionsJson = z
  .object({ partnerId: Id, from: z.string(), to: z.string(), items: z.array(DeductionRow) })
  .openapi('CouponDeductions');

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

export async function couponDeductions(ctx: Ctx, partnerId: string, q: z.output<typeof DeductionsQuery>): Promise<z.infer<typeof DeductionsJson>> {
  const span = monthIndex(q.to) - monthIndex(q.from) + 1;
  if (span < 1) throw new AppError('validation_failed', 'invalid range', [{ field: 'query.to', code: 'invalid_range', message: 'must not be before from' }]);
  if (span > MAX_MONTHS) {
    throw new AppError('validation_failed', 'invalid range', [{ field: 'query.to', code: 'too_big', message: `at most ${MAX_MONTHS} months from from` }]);
  }
  const partner = await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', partnerId);
  authorize(ctx, 'read', 'Coupon', { tenantId: partner.tenantId, partnerId: partner.id });
  const from = new Date(`${q.from}-01T00:00:00Z`);
  const to = new Date(from);
  to.setUTCMonth(to.getUTCMonth() + span);
  const rows: { month: string; account_id: string; account_name: string; currency: string; deducted: string; returned: string }[] = await ctx.ds.query(
    `SELECT to_char(date_trunc('month', l.at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, l.account_id, a.name AS account_name, c.currency,
            coalesce(-sum(l.amount) FILTER (WHERE l.type = 'deduct'), 0)::text AS deducted,
            coalesce(sum(l.amount) FILTER (WHERE l.type = 'return'), 0)::text AS returned
       FROM coupon_ledger l
       JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
       JOIN accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
      WHERE l.tenant_id = $1 AND c.partner_id = $2 AND l.type IN ('deduct', 'return') AND l.at >= $3 AND l.at < $4
        AND ($5::uuid IS NULL OR l.account_id = $5)
      GROUP BY 1, l.account_id, a.name, c.currency
      ORDER BY 1, a.name, l.account_id, c.currency`,
    [partner.tenantId, partner.id, from, to, q.accountId ?? null],
  );
  return {
    partnerId: partner.id,
    from: q.from,
    to: q.to,
    items: rows.map((r) => ({
      month: r.month, accountId: r.account_id, accountName: r.account_name, currency: r.currency,
      deducted: r.deducted, returned: r.returned, net: (toBigInt(r.deducted) - toBigInt(r.returned)).toString(),
    })),
  };
}
