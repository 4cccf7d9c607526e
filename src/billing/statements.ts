import { z } from '../shared/zod';
import { inInstantRange } from '../shared/schemas';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { csvDownload } from '../shared/download';
import { authorize, findReadable } from '../auth/scope';
import { toBigInt } from '../shared/money';
import { Account } from '../tenancy/accounts/account.entity';
import { Partner } from '../tenancy/partners/partner.entity';
import { statementRefunds } from '../refunds/refund-statement';

/**
 * R24: an account's daily or monthly statement: every pay-as-you-go bill of the period and every
 * prepaid order, each line with its amount, coupon deduction (and which coupons: for a bill, its
 * `deduct` ledger rows, R25) and cash due, with totals per currency. And the partner's report of
 * coupon deductions per subaccount and template for a month. Both as JSON or CSV (csv-stringify quotes names with commas or quotes).
 * Refunds of the period (R27, R28) come as their own section with totals, and in the CSV as
 * `refund` lines with negative amounts.
 */
export const StatementQuery = z
  .strictObject({
    period: z.enum(['daily', 'monthly']),
    date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/).describe('YYYY-MM-DD for daily, YYYY-MM for monthly (UTC)'),
    format: z.enum(['json', 'csv']).default('json'),
  });
export const ReportQuery = z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/), format: z.enum(['json', 'csv']).default('json') });

function window(period: 'daily' | 'monthly', date: string): [Date, Date] {
  const ok = period === 'daily' ? /^\d{4}-\d{2}-\d{2}$/.test(date) : /^\d{4}-\d{2}$/.test(date);
  const from = new Date(`${period === 'daily' ? date : `${date}-01`}T00:00:00Z`);
  // A date that does not exist (2024-02-30) is refused, not rolled over into the next month.
  if (!ok || Number.isNaN(from.getTime()) || !inInstantRange(from.toISOString()) || !from.toISOString().startsWith(period === 'daily' ? date : `${date}-01`)) {
    throw new AppError('validation_failed', 'invalid date', [{ field: 'query.date', code: 'invalid_date', message: `a ${period === 'daily' ? 'YYYY-MM-DD' : 'YYYY-MM'} date` }]);
  }
  const to = new Date(from);
  if (period === 'daily') to.setUTCDate(to.getUTCDate() + 1);
  else to.setUTCMonth(to.getUTCMonth() + 1);
  return [from, to];
}

interface LineRow {
  kind: 'payg' | 'prepaid';
  id: string;
  at: Date;
  products: string;
  currency: string;
  amount: string;
  deduction: string;
  cash: string;
  coupons: { couponId: string; amount: string }[];
}

const LINES_SQL = `
SELECT 'payg' AS kind, b.id, b.period_start AS at, b.product_code AS products, b.currency, b.amount::text, b.coupon_deduction::text AS deduction,
       b.cash_due::text AS cash,
       coalesce((SELECT json_agg(json_build_object('couponId', d.coupon_id, 'amount', d.amount::text) ORDER BY d.coupon_id)
                   FROM (SELECT l.coupon_id, -sum(l.amount) AS amount FROM coupon_ledger l
                          WHERE l.tenant_id = b.tenant_id AND l.bill_id = b.id AND l.type = 'deduct' GROUP BY l.coupon_id) d), '[]') AS coupons
  FROM bills b WHERE b.tenant_id = $1 AND b.account_id = $2 AND b.period_start >= $3 AND b.period_start < $4
UNION ALL
SELECT 'prepaid', o.id, o.created_at, (SELECT string_agg(i.product_code, ' ' ORDER BY i.line) FROM order_items i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id),
       o.currency, o.total::text, o.coupon_deduction::text, o.cash::text,
       CASE WHEN o.coupon_id IS NULL THEN '[]'::json ELSE json_build_array(json_build_object('couponId', o.coupon_id, 'amount', o.coupon_deduction::text)) END
  FROM orders o WHERE o.tenant_id = $1 AND o.account_id = $2 AND o.created_at >= $3 AND o.created_at < $4
ORDER BY at, id`;

function totals(lines: LineRow[]) {
  const by = new Map<string, { amount: bigint; couponDeduction: bigint; cashDue: bigint }>();
  for (const l of lines) {
    const t = by.get(l.currency) ?? { amount: 0n, couponDeduction: 0n, cashDue: 0n };
    t.amount += toBigInt(l.amount);
    t.couponDeduction += toBigInt(l.deduction);
    t.cashDue += toBigInt(l.cash);
    by.set(l.currency, t);
  }
  return [...by].map(([currency, t]) => ({ currency, amount: t.amount.toString(), couponDeduction: t.couponDeduction.toString(), cashDue: t.cashDue.toString() }));
}

export async function statement(ctx: Ctx, accountId: string, q: z.output<typeof StatementQuery>) {
  const account = await findReadable(ctx, ctx.ds.manager, Account, 'Account', accountId);
  authorize(ctx, 'read', 'Bill', { tenantId: account.tenantId, accountId: account.id, partnerId: account.partnerId });
  const [from, to] = window(q.period, q.date);
  const lines: LineRow[] = await ctx.ds.query(LINES_SQL, [account.tenantId, account.id, from, to]);
  const json = lines.map((l) => ({
    kind: l.kind, id: l.id, at: l.at.toISOString(), products: l.products, currency: l.currency,
    amount: l.amount, couponDeduction: l.deduction, coupons: l.coupons, cashDue: l.cash,
  }));
  const refunds = await statementRefunds(ctx.ds, account.tenantId, account.id, from, to);
  if (q.format === 'csv') {
    const csvLines = [...json.map((l) => ({ ...l, coupons: l.coupons.map((c) => `${c.couponId}:${c.amount}`).join(' ') })), ...refunds.csvLines];
    return csvDownload(`statement-${account.id}-${q.date}.csv`, ['at', 'kind', 'id', 'products', 'currency', 'amount', 'couponDeduction', 'coupons', 'cashDue'],
      csvLines.sort((a, b) => a.at.localeCompare(b.at)));
  }
  return { accountId: account.id, accountName: account.name, period: q.period, from: from.toISOString(), to: to.toISOString(), lines: json, totals: totals(lines),
    refunds: refunds.refunds, refundTotals: refunds.refundTotals };
}

export async function partnerReport(ctx: Ctx, partnerId: string, q: z.output<typeof ReportQuery>) {
  const partner = await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', partnerId);
  authorize(ctx, 'read', 'Coupon', { tenantId: partner.tenantId, partnerId: partner.id });
  const [from, to] = window('monthly', q.month);
  const rows: { account_id: string; account_name: string; template_id: string | null; template_name: string; currency: string; deducted: string; returned: string }[] =
    await ctx.ds.query(
      // The ledger row names the account that spent (a shared voucher has several); coupons
      // without a template (vouchers, compensation) are reported under their origin.
      `SELECT l.account_id, a.name AS account_name, c.template_id, coalesce(t.name, c.origin) AS template_name, c.currency,
              (-sum(l.amount) FILTER (WHERE l.type = 'deduct'))::text AS deducted,
              coalesce(sum(l.amount) FILTER (WHERE l.type = 'return'), 0)::text AS returned
         FROM coupon_ledger l
         JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
         JOIN accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
         LEFT JOIN coupon_templates t ON t.tenant_id = c.tenant_id AND t.id = c.template_id
        WHERE l.tenant_id = $1 AND c.partner_id = $2 AND l.type IN ('deduct', 'return') AND l.at >= $3 AND l.at < $4
        GROUP BY l.account_id, a.name, c.template_id, coalesce(t.name, c.origin), c.currency
        ORDER BY a.name, 4`,
      [partner.tenantId, partner.id, from, to],
    );
  const lines = rows.map((r) => ({
    accountId: r.account_id, accountName: r.account_name, templateId: r.template_id, templateName: r.template_name, currency: r.currency,
    deducted: r.deducted ?? '0', returned: r.returned, net: (toBigInt(r.deducted ?? '0') - toBigInt(r.returned)).toString(),
  }));
  if (q.format === 'csv') {
    return csvDownload(`coupon-report-${partner.id}-${q.month}.csv`, ['accountId', 'accountName', 'templateId', 'templateName', 'currency', 'deducted', 'returned', 'net'], lines);
  }
  const byCurrency = new Map<string, bigint>();
  for (const l of lines) byCurrency.set(l.currency, (byCurrency.get(l.currency) ?? 0n) + toBigInt(l.net));
  return { partnerId: partner.id, month: q.month, lines, totals: [...byCurrency].map(([currency, net]) => ({ currency, net: net.toString() })) };
}
