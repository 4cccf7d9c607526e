import type { z } from 'zod';
import { ForbiddenError } from '@casl/ability';
import type { Ctx } from '../auth/context';
import { scopeSqlPositional } from '../auth/ability-sql';
import { csvDownload, type CsvDownload } from '../shared/download';
import { toBigInt } from '../shared/money';
import { aggCte, inMonth, LINES_CTE } from './settlement.sql';
import { closedMonth } from './close-month';
import { Settlement } from './settlement.entity';
import { firstDay, type MonthText } from './settlement-month';
import type { ExpenseJson, ExpenseQuery } from './settlement.schema';

/**
 * R37: the vendor's promotion expense of a month: vendor-borne deductions net of returns, per BD,
 * partner, template and currency. A closed month from its stored vendor-borne lines, with the BD
 * its settlement recorded at the close; an open month live, with today's BD (a reseller's BD is its
 * distributor's). The platform admins read every partner; a BD only the trees assigned to it (the
 * CASL rule, turned into SQL over the settlement's tenant).
 */
const ROW = `x.bd_user_id AS "bdUserId", u.name AS "bdName", x.partner_id AS "partnerId", p.name AS "partnerName", x.template_id AS "templateId",
  coalesce(t.name, x.origin) AS "templateName", x.currency, sum(x.deducted)::text AS deducted, sum(x.returned)::text AS returned`;
const JOINS = `JOIN partners p ON p.tenant_id = x.tenant_id AND p.id = x.partner_id
  LEFT JOIN users u ON u.id = x.bd_user_id
  LEFT JOIN coupon_templates t ON t.tenant_id = x.tenant_id AND t.id = x.template_id`;
const GROUP = `GROUP BY x.bd_user_id, u.name, x.partner_id, p.name, x.template_id, x.origin, t.name, x.currency ORDER BY u.name NULLS LAST, p.name, x.partner_id, 6, x.currency`;

const storedSql = (scope: string) => `
SELECT ${ROW}
  FROM (SELECT s.tenant_id, s.partner_id, s.bd_user_id, l.currency, l.template_id, l.origin, l.deducted, l.returned
          FROM settlements s JOIN settlement_lines l ON l.tenant_id = s.tenant_id AND l.partner_id = s.partner_id AND l.currency = s.currency AND l.month = s.month
         WHERE s.month = $1::date AND l.kind = 'vendor_borne' AND ${scope}) x
  ${JOINS}
 ${GROUP}`;

const liveSql = (scope: string) => `
WITH ${aggCte(inMonth('$1'), scope)}, ${LINES_CTE}
SELECT ${ROW}
  FROM (SELECT l.*, coalesce(p.bd_user_id, d.bd_user_id) AS bd_user_id FROM lines l
          JOIN partners p ON p.tenant_id = l.tenant_id AND p.id = l.partner_id
          LEFT JOIN partners d ON d.tenant_id = p.tenant_id AND d.id = p.parent_id
         WHERE l.kind = 'vendor_borne') x
  ${JOINS}
 ${GROUP}`;

type Item = z.infer<typeof ExpenseJson>['items'][number];

export async function promotionExpense(ctx: Ctx, q: z.output<typeof ExpenseQuery>): Promise<z.infer<typeof ExpenseJson> | CsvDownload> {
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'PromotionExpense');
  const month: MonthText = q.month;
  const closed = await closedMonth(ctx.ds.manager, month);
  const values: unknown[] = [firstDay(month)];
  const meta = ctx.ds.getMetadata(Settlement);
  // Stored rows are scoped by their settlement (s), live ones by their coupon (c): both carry tenant_id and partner_id.
  const scope = scopeSqlPositional(ctx.ability, 'read', 'PromotionExpense', closed ? 's' : 'c', meta, values);
  const rows: Omit<Item, 'net'>[] = await ctx.ds.query(closed ? storedSql(scope) : liveSql(scope), values);
  const items = rows.map((r) => ({ ...r, net: (toBigInt(r.deducted) - toBigInt(r.returned)).toString() }));
  if (q.format === 'csv') {
    return csvDownload(`promotion-expense-${month}.csv`, ['bdUserId', 'bdName', 'partnerId', 'partnerName', 'templateId', 'templateName', 'currency', 'deducted', 'returned', 'net'], items);
  }
  return { month, status: closed ? 'closed' : 'open', items };
}
