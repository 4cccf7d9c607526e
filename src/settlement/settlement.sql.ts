/**
 * R37, R38: the settlement of a month as SQL, one text for every use: closing a month (INSERT ...
 * SELECT, close-month.ts), reading an open month live (settlement-views.ts) and re-checking closed
 * months against the ledger (reconcile). The figures are never read into Node to be added up.
 *
 * Booking: a ledger row belongs to the UTC calendar month of its own `at` (its transaction's start,
 * the default every writer of src/coupons/ledger.sql.ts keeps). Nothing is ever re-dated, so a
 * return made after its deduction's month lands in the month it was made in.
 *
 * Lines (deduct and return rows only): per partner (the coupon's issuing partner), currency and
 * month, of kind
 * - `partner_borne`: the partner's own partner-borne coupons, per template (or origin, for coupons
 *   without one) and subaccount (the account that spent, which for a shared voucher is the spender);
 * - `reseller`: on a distributor's settlement, the partner-borne lines of each of its resellers,
 *   per reseller and template, never per customer (R39): the reseller owes its distributor what the
 *   distributor owes the vendor for them;
 * - `vendor_borne`: the vendor's promotion expense for the partner's vendor-borne coupons, per
 *   template (no subaccount: the expense report is per BD, partner and template).
 * A return whose deduction was booked in an earlier month is an adjustment line (`adjusts` = that
 * month): it cannot net into that month, whose figures hold only that month's rows, closed or not.
 *
 * Liability (all rows) per partner, cost bearer and currency: the month's flows, and the opening
 * balance = the closing of the latest closed month before it (stored) + the ledger since.
 */

/** The month a ledger instant is booked in, as a date (the month's first day, UTC). */
export const monthOf = (at: string) => `(date_trunc('month', ${at} AT TIME ZONE 'UTC'))::date`;
/** The first instant of a month given as a date expression. */
export const startOf = (month: string) => `((${month})::timestamp AT TIME ZONE 'UTC')`;
/** The first instant after a month given as a date expression. */
export const endOf = (month: string) => `(((${month})::date + interval '1 month') AT TIME ZONE 'UTC')`;

/** The ledger rows of one month: $1 is the month (a date). */
export const inMonth = (monthParam: string) => `l.at >= ${startOf(monthParam)} AND l.at < ${endOf(monthParam)}`;

/**
 * Ledger rows of a partner and of its resellers (their settlements pass up to it): `tenant` and
 * `partner` are parameters. Conditions over c (the coupon) only, so the scan stays on the tenant.
 */
export const partnerAndResellers = (tenant: string, partner: string) =>
  `l.tenant_id = ${tenant} AND c.tenant_id = ${tenant} AND (c.partner_id = ${partner}
     OR c.partner_id IN (SELECT r.id FROM partners r WHERE r.tenant_id = ${tenant} AND r.parent_id = ${partner}))`;

// The month of the deduction a return gives back: the order's (or bill's) `deduct` row of the coupon.
const DEDUCTED_AT = `coalesce(
    (SELECT min(d.at) FROM coupon_ledger d WHERE d.tenant_id = l.tenant_id AND d.order_id = l.order_id AND d.coupon_id = l.coupon_id AND d.type = 'deduct'),
    (SELECT min(d.at) FROM coupon_ledger d WHERE d.tenant_id = l.tenant_id AND d.bill_id = l.bill_id AND d.coupon_id = l.coupon_id AND d.type = 'deduct'))`;

const signed = (r: string, type: string, sign: '' | '-') => `coalesce(${sign}sum(${r}.amount) FILTER (WHERE ${r}.type = '${type}'), 0)`;

/**
 * R38's flows of ledger rows `r` (with `type` and `amount`), each as a positive figure: issued,
 * deducted, returned, revoked, expired, reclaimed (a voucher's remaining balance taken back into its
 * quota pool, R32: it leaves the coupon like a revoke, and is kept apart from it).
 */
export const flowSums = (r: string) =>
  `${signed(r, 'issue', '')} AS issued, ${signed(r, 'deduct', '-')} AS deducted, ${signed(r, 'return', '')} AS returned,
   ${signed(r, 'revoke', '-')} AS revoked, ${signed(r, 'expire', '-')} AS expired, ${signed(r, 'reclaim', '-')} AS reclaimed`;

/**
 * CTE `agg`: one pass over the month's ledger rows, grouped two ways at once (GROUPING SETS): the
 * line keys (liab = 0; `moves` counts its deduct and return rows) and the liability keys (liab = 1).
 */
export function aggCte(where: string): string {
  return `agg AS (
  SELECT m.tenant_id, m.partner_id, m.currency, m.month, m.cost_bearer, m.template_id, m.origin, m.account_id, m.adjusts,
         (GROUPING(m.template_id, m.origin, m.account_id, m.adjusts) <> 0)::int AS liab,
         count(*) FILTER (WHERE m.type IN ('deduct', 'return')) AS moves,
         ${flowSums('m')}
    FROM (
      SELECT l.tenant_id, c.partner_id, c.currency, c.cost_bearer, c.template_id, c.origin, l.type, l.amount, ${monthOf('l.at')} AS month,
             CASE WHEN c.cost_bearer = 'partner' THEN l.account_id END AS account_id,
             CASE WHEN l.type = 'return' THEN (SELECT nullif(${monthOf('x.at')}, ${monthOf('l.at')}) FROM (SELECT ${DEDUCTED_AT} AS at) x) END AS adjusts
        FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
       WHERE ${where}
    ) m
   GROUP BY GROUPING SETS ((m.tenant_id, m.partner_id, m.currency, m.month, m.cost_bearer, m.template_id, m.origin, m.account_id, m.adjusts),
                           (m.tenant_id, m.partner_id, m.currency, m.month, m.cost_bearer))
)`;
}

/** CTE `lines` over `agg`: each partner's own lines, and its resellers' partner-borne lines passed up. */
export const LINES_CTE = `lines AS (
  SELECT a.tenant_id, a.partner_id, a.currency, a.month, CASE a.cost_bearer WHEN 'partner' THEN 'partner_borne' ELSE 'vendor_borne' END AS kind,
         a.template_id, a.origin, a.account_id, NULL::uuid AS reseller_id, a.adjusts, a.deducted, a.returned
    FROM agg a WHERE a.liab = 0 AND a.moves > 0
  UNION ALL
  SELECT a.tenant_id, p.parent_id, a.currency, a.month, 'reseller', a.template_id, a.origin, NULL::uuid, a.partner_id, a.adjusts,
         sum(a.deducted)::bigint, sum(a.returned)::bigint
    FROM agg a JOIN partners p ON p.tenant_id = a.tenant_id AND p.id = a.partner_id
   WHERE a.liab = 0 AND a.moves > 0 AND a.cost_bearer = 'partner' AND p.tier = 2
   GROUP BY a.tenant_id, p.parent_id, a.currency, a.month, a.template_id, a.origin, a.partner_id, a.adjusts
)`;

/**
 * CTE `liab` over `agg`, for the one month `monthParam`: per partner, cost bearer and currency the
 * opening balance, the month's flows and the closing balance. `scope(tenant, partner)` limits the
 * opening's rows like `where` limits the month's ('TRUE' for all).
 */
export function liabilityCte(monthParam: string, scope: (tenant: string, partner: string) => string): string {
  const prev = `(SELECT max(pm.month) FROM settlement_months pm WHERE pm.month < ${monthParam}::date)`;
  return `opening AS (
  SELECT o.tenant_id, o.partner_id, o.currency, o.cost_bearer, sum(o.amount)::bigint AS opening FROM (
    SELECT s.tenant_id, s.partner_id, s.currency, s.cost_bearer, s.closing AS amount
      FROM settlement_liabilities s WHERE s.month = ${prev} AND ${scope('s.tenant_id', 's.partner_id')}
    UNION ALL
    SELECT l.tenant_id, c.partner_id, c.currency, c.cost_bearer, l.amount
      FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
     WHERE l.at < ${startOf(monthParam)} AND l.at >= coalesce(${endOf(prev)}, '-infinity') AND ${scope('l.tenant_id', 'c.partner_id')}
  ) o GROUP BY o.tenant_id, o.partner_id, o.currency, o.cost_bearer
), liab AS (
  SELECT coalesce(f.tenant_id, o.tenant_id) AS tenant_id, coalesce(f.partner_id, o.partner_id) AS partner_id,
         coalesce(f.currency, o.currency) AS currency, coalesce(f.cost_bearer, o.cost_bearer) AS cost_bearer,
         coalesce(o.opening, 0) AS opening, coalesce(f.issued, 0) AS issued, coalesce(f.deducted, 0) AS deducted,
         coalesce(f.returned, 0) AS returned, coalesce(f.revoked, 0) AS revoked, coalesce(f.expired, 0) AS expired,
         coalesce(f.reclaimed, 0) AS reclaimed,
         coalesce(o.opening, 0) + coalesce(f.issued, 0) - coalesce(f.deducted, 0) + coalesce(f.returned, 0)
           - coalesce(f.revoked, 0) - coalesce(f.expired, 0) - coalesce(f.reclaimed, 0) AS closing
    FROM (SELECT * FROM agg WHERE liab = 1) f
    FULL JOIN opening o ON o.tenant_id = f.tenant_id AND o.partner_id = f.partner_id AND o.currency = f.currency AND o.cost_bearer = f.cost_bearer
   WHERE f.tenant_id IS NOT NULL OR o.opening <> 0
)`;
}

/**
 * CTE `heads` over `lines` and `liab`: one settlement per partner and currency that has a line or a
 * liability in the month, with its totals and the partner's tier, parent and BD (a reseller's BD
 * is its distributor's).
 */
export function headsCte(monthParam: string): string {
  const sum = (cond: string) => `coalesce(sum(x.deducted - x.returned) FILTER (WHERE ${cond}), 0)::bigint`;
  return `heads AS (
  SELECT k.tenant_id, k.partner_id, k.currency, ${monthParam}::date AS month, p.tier, p.parent_id, coalesce(p.bd_user_id, d.bd_user_id) AS bd_user_id,
         ${sum(`x.kind = 'partner_borne'`)} AS partner_borne, ${sum(`x.kind = 'reseller'`)} AS passed_up,
         ${sum(`x.kind IN ('partner_borne', 'reseller')`)} AS owed, ${sum(`x.kind = 'vendor_borne'`)} AS vendor_borne,
         ${sum(`x.adjusts IS NOT NULL AND x.kind <> 'vendor_borne'`)} AS adjustments
    FROM (SELECT tenant_id, partner_id, currency FROM lines UNION SELECT tenant_id, partner_id, currency FROM liab) k
    JOIN partners p ON p.tenant_id = k.tenant_id AND p.id = k.partner_id
    LEFT JOIN partners d ON d.tenant_id = p.tenant_id AND d.id = p.parent_id
    LEFT JOIN lines x ON x.tenant_id = k.tenant_id AND x.partner_id = k.partner_id AND x.currency = k.currency
   GROUP BY k.tenant_id, k.partner_id, k.currency, p.tier, p.parent_id, p.bd_user_id, d.bd_user_id
)`;
}

/** A line's place in its settlement: a stable order, so the stored line numbers mean something. */
export const LINE_ORDER = `kind, template_id NULLS FIRST, origin, account_id NULLS FIRST, reseller_id NULLS FIRST, adjusts NULLS FIRST`;
