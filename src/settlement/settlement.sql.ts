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
 * The coupons of a partner and of its resellers (their settlements pass up to it), over c: `tenant`
 * and `partner` are parameters. The ledger side goes with `l.tenant_id = <tenant>`.
 */
export const partnerAndResellers = (tenant: string, partner: string) =>
  `c.tenant_id = ${tenant} AND (c.partner_id = ${partner} OR c.partner_id IN (SELECT r.id FROM partners r WHERE r.tenant_id = ${tenant} AND r.parent_id = ${partner}))`;

// The month of the deduction a return gives back: the order's (or bill's) `deduct` row of the coupon.
// (r: a group of return rows with its tenant_id, coupon_id, order_id and bill_id.)
const deductedAt = (r: string) => `coalesce(
    (SELECT min(d.at) FROM coupon_ledger d WHERE d.tenant_id = ${r}.tenant_id AND d.order_id = ${r}.order_id AND d.coupon_id = ${r}.coupon_id AND d.type = 'deduct'),
    (SELECT min(d.at) FROM coupon_ledger d WHERE d.tenant_id = ${r}.tenant_id AND d.bill_id = ${r}.bill_id AND d.coupon_id = ${r}.coupon_id AND d.type = 'deduct'))`;

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
 * CTEs `agg` and `flows`. `agg`: the month's ledger rows aggregated by hash in two steps, first per
 * coupon and type (the ledger alone: `ledgerWhere` over l; one sum per row; returns also per order
 * or bill, whose deduction's month then says whether the return adjusts an earlier month), then, joined to the coupons and their partners,
 * per line key (partner, currency, month, cost bearer, template, origin, subaccount of a
 * partner-borne coupon, adjusted month); `moves` counts the key's deduct and return rows. The first
 * step is a plain GROUP BY of the ledger, so the join and the second step see thousands of rows,
 * not the month's million. `couponWhere` (over c) limits the coupons, inside the first step.
 * `flows` adds `agg` up per partner, cost bearer and currency (R38). `month` is the month of a
 * row (a constant when the rows are of one month).
 */
export function aggCte(ledgerWhere: string, couponWhere = 'TRUE', month = monthOf('l.at')): string {
  const coupons = couponWhere === 'TRUE' ? '' : ` AND l.coupon_id IN (SELECT c.id FROM coupons c WHERE c.tenant_id = l.tenant_id AND ${couponWhere})`;
  const flow = (type: string, sign: '' | '-') => `coalesce(${sign}sum(k.amount) FILTER (WHERE k.type = '${type}'), 0)`;
  return `agg AS (
  SELECT k.tenant_id, c.partner_id, p.tier, p.parent_id, c.currency, k.month, c.cost_bearer, c.template_id, c.origin,
         CASE WHEN c.cost_bearer = 'partner' THEN k.account_id END AS account_id, k.adjusts,
         coalesce(sum(k.n) FILTER (WHERE k.type IN ('deduct', 'return')), 0) AS moves,
         ${flow('issue', '')} AS issued, ${flow('deduct', '-')} AS deducted, ${flow('return', '')} AS returned,
         ${flow('revoke', '-')} AS revoked, ${flow('expire', '-')} AS expired, ${flow('reclaim', '-')} AS reclaimed
    FROM (
      SELECT g.*, CASE WHEN g.type = 'return' THEN (SELECT nullif(${monthOf('x.at')}, g.month) FROM (SELECT ${deductedAt('g')} AS at) x) END AS adjusts
        FROM (
          SELECT l.tenant_id, l.coupon_id, l.account_id, l.type, ${month} AS month,
                 CASE WHEN l.type = 'return' THEN l.order_id END AS order_id, CASE WHEN l.type = 'return' THEN l.bill_id END AS bill_id,
                 sum(l.amount) AS amount, count(*) AS n
            FROM coupon_ledger l
           WHERE ${ledgerWhere}${coupons}
           GROUP BY l.tenant_id, l.coupon_id, l.account_id, l.type, 5, 6, 7
        ) g
    ) k
    JOIN coupons c ON c.tenant_id = k.tenant_id AND c.id = k.coupon_id
    JOIN partners p ON p.tenant_id = c.tenant_id AND p.id = c.partner_id
   GROUP BY k.tenant_id, c.partner_id, p.tier, p.parent_id, c.currency, k.month, c.cost_bearer, c.template_id, c.origin, 10, k.adjusts
), flows AS (
  SELECT tenant_id, partner_id, currency, month, cost_bearer, sum(issued) AS issued, sum(deducted) AS deducted, sum(returned) AS returned,
         sum(revoked) AS revoked, sum(expired) AS expired, sum(reclaimed) AS reclaimed
    FROM agg GROUP BY tenant_id, partner_id, currency, month, cost_bearer
)`;
}

/** CTE `lines` over `agg`: each partner's own lines, and its resellers' partner-borne lines passed up. */
export const LINES_CTE = `lines AS (
  SELECT a.tenant_id, a.partner_id, a.currency, a.month, CASE a.cost_bearer WHEN 'partner' THEN 'partner_borne' ELSE 'vendor_borne' END AS kind,
         a.template_id, a.origin, a.account_id, NULL::uuid AS reseller_id, a.adjusts, a.deducted, a.returned
    FROM agg a WHERE a.moves > 0
  UNION ALL
  SELECT a.tenant_id, a.parent_id, a.currency, a.month, 'reseller', a.template_id, a.origin, NULL::uuid, a.partner_id, a.adjusts,
         sum(a.deducted), sum(a.returned)
    FROM agg a WHERE a.moves > 0 AND a.cost_bearer = 'partner' AND a.tier = 2
   GROUP BY a.tenant_id, a.parent_id, a.currency, a.month, a.template_id, a.origin, a.partner_id, a.adjusts
)`;

/**
 * CTE `liab` over `flows`, for the one month `monthParam`: per partner, cost bearer and currency the
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
    FROM flows f
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
  const sum = (cond: string) => `sum(deducted - returned) FILTER (WHERE ${cond})`;
  return `heads AS (
  SELECT k.tenant_id, k.partner_id, k.currency, ${monthParam}::date AS month, p.tier, p.parent_id, coalesce(p.bd_user_id, d.bd_user_id) AS bd_user_id,
         coalesce(x.partner_borne, 0)::bigint AS partner_borne, coalesce(x.passed_up, 0)::bigint AS passed_up,
         coalesce(x.partner_borne, 0)::bigint + coalesce(x.passed_up, 0)::bigint AS owed, coalesce(x.vendor_borne, 0)::bigint AS vendor_borne,
         coalesce(x.adjustments, 0)::bigint AS adjustments
    FROM (SELECT tenant_id, partner_id, currency FROM lines UNION SELECT tenant_id, partner_id, currency FROM liab) k
    JOIN partners p ON p.tenant_id = k.tenant_id AND p.id = k.partner_id
    LEFT JOIN partners d ON d.tenant_id = p.tenant_id AND d.id = p.parent_id
    LEFT JOIN (
      SELECT tenant_id, partner_id, currency, ${sum(`kind = 'partner_borne'`)} AS partner_borne, ${sum(`kind = 'reseller'`)} AS passed_up,
             ${sum(`kind = 'vendor_borne'`)} AS vendor_borne, ${sum(`adjusts IS NOT NULL AND kind <> 'vendor_borne'`)} AS adjustments
        FROM lines GROUP BY tenant_id, partner_id, currency
    ) x ON x.tenant_id = k.tenant_id AND x.partner_id = k.partner_id AND x.currency = k.currency
)`;
}

/** A line's place in its settlement: a stable order, so the stored line numbers mean something. */
export const LINE_ORDER = `kind, template_id NULLS FIRST, origin, account_id NULLS FIRST, reseller_id NULLS FIRST, adjusts NULLS FIRST`;
