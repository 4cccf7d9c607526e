import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { authorize, findReadable } from '../auth/scope';
import { Partner } from '../tenancy/partners/partner.entity';
import { endOf, flowSums, LINES_CTE, aggCte, monthOf, startOf } from './settlement.sql';
import { firstDay } from './settlement-month';
import { rangeOf } from './settlement-views';
import type { RangeQuery, ResellerTotalsJson } from './settlement.schema';

/**
 * R39: a distributor's view of its resellers. Per reseller, month, template and cost bearer: the
 * coupons' flows and what is outstanding at the month's end (from the whole ledger before it); per
 * reseller and month what it owes in settlement (closed months: the stored settlement; open
 * months: computed live like every open settlement). Nothing below the reseller: no account id,
 * name or per-customer line is selected, so none can reach the answer.
 */
const KEY = `x.reseller_id, x.currency, x.cost_bearer, x.template_id, x.origin`;
const same = (a: string, b: string) =>
  `${a}.reseller_id = ${b}.reseller_id AND ${a}.currency = ${b}.currency AND ${a}.cost_bearer = ${b}.cost_bearer
   AND ${a}.template_id IS NOT DISTINCT FROM ${b}.template_id AND ${a}.origin = ${b}.origin`;

const TOTALS_SQL = `
WITH f AS (
  SELECT c.partner_id AS reseller_id, c.currency, c.cost_bearer, c.template_id, c.origin,
         CASE WHEN l.at >= ${startOf('$3')} THEN ${monthOf('l.at')} END AS month, ${flowSums('l')}, sum(l.amount) AS net
    FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
   WHERE l.tenant_id = $1 AND c.tenant_id = $1 AND l.at < ${endOf('$4')}
     AND c.partner_id IN (SELECT r.id FROM partners r WHERE r.tenant_id = $1 AND r.parent_id = $2)
   GROUP BY 1, 2, 3, 4, 5, 6
), keys AS (
  SELECT DISTINCT ${KEY} FROM f x
), grid AS (
  SELECT k.*, m.month::date AS month FROM keys k CROSS JOIN generate_series($3::date, $4::date, interval '1 month') m(month)
)
SELECT g.reseller_id AS "resellerId", r.name AS "resellerName", to_char(g.month, 'YYYY-MM') AS month, g.template_id AS "templateId",
       coalesce(t.name, g.origin) AS "templateName", g.cost_bearer AS "costBearer", g.currency,
       coalesce(x.issued, 0)::text AS issued, coalesce(x.deducted, 0)::text AS deducted, coalesce(x.returned, 0)::text AS returned,
       coalesce(x.revoked, 0)::text AS revoked, coalesce(x.expired, 0)::text AS expired, coalesce(x.reclaimed, 0)::text AS reclaimed,
       o.outstanding::text AS outstanding
  FROM grid g
  JOIN partners r ON r.tenant_id = $1 AND r.id = g.reseller_id
  LEFT JOIN coupon_templates t ON t.tenant_id = $1 AND t.id = g.template_id
  LEFT JOIN f x ON ${same('x', 'g')} AND x.month = g.month
  CROSS JOIN LATERAL (SELECT coalesce(sum(y.net), 0) AS outstanding FROM f y WHERE ${same('y', 'g')} AND (y.month IS NULL OR y.month <= g.month)) o
 WHERE x.reseller_id IS NOT NULL OR o.outstanding <> 0
 ORDER BY r.name, g.reseller_id, g.month, "templateName", g.template_id, g.cost_bearer, g.currency`;

// What each reseller owes, per month: stored for closed months, live (the same lines) for open ones.
const OWED_SQL = `
WITH ${aggCte(`l.at >= ${startOf('$3')} AND l.at < ${endOf('$4')} AND l.tenant_id = $1`,
  `c.partner_id IN (SELECT r.id FROM partners r WHERE r.tenant_id = $1 AND r.parent_id = $2)`)}, ${LINES_CTE}
SELECT s.partner_id AS "resellerId", to_char(s.month, 'YYYY-MM') AS month, 'closed' AS status, s.currency, s.owed::text AS owed
  FROM settlements s WHERE s.tenant_id = $1 AND s.parent_id = $2 AND s.month >= $3::date AND s.month <= $4::date AND s.owed <> 0
UNION ALL
SELECT x.partner_id, to_char(x.month, 'YYYY-MM'), 'open', x.currency, sum(x.deducted - x.returned)::text
  FROM lines x WHERE x.kind = 'partner_borne' AND NOT EXISTS (SELECT 1 FROM settlement_months sm WHERE sm.month = x.month)
 GROUP BY x.partner_id, x.month, x.currency
ORDER BY 1, 2, 4`;

export async function resellerTotals(ctx: Ctx, partnerId: string, q: z.output<typeof RangeQuery>): Promise<z.infer<typeof ResellerTotalsJson>> {
  const partner = await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', partnerId);
  authorize(ctx, 'read', 'ResellerTotals', { tenantId: partner.tenantId, partnerId: partner.id });
  const { from, to } = rangeOf(q);
  const params = [partner.tenantId, partner.id, firstDay(from), firstDay(to)];
  const [items, settlements] = await Promise.all([ctx.ds.query(TOTALS_SQL, params), ctx.ds.query(OWED_SQL, params)]);
  return { partnerId: partner.id, from, to, items, settlements };
}
