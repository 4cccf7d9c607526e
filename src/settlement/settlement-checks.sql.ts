import { aggCte, flowSums, LINES_CTE, monthOf } from './settlement.sql';

/**
 * Reconcile's settlement sections (src/reconcile/reconcile.ts), as CTE chains that end in
 * `checked` and `bad`, the shape reconcile's summary expects.
 *
 * liability (R38): per partner, cost bearer and currency, issued - deducted + returned - revoked -
 * expired - reclaimed over the whole ledger equals the sum of those coupons' balances now.
 */
export const LIABILITY_CHECK = `
WITH f AS (
  SELECT c.tenant_id, c.partner_id, c.cost_bearer, c.currency, ${flowSums('l')}
    FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
   GROUP BY c.tenant_id, c.partner_id, c.cost_bearer, c.currency
), b AS (
  SELECT tenant_id, partner_id, cost_bearer, currency, sum(balance) AS balance FROM coupons GROUP BY tenant_id, partner_id, cost_bearer, currency
), checked AS (
  SELECT coalesce(f.tenant_id, b.tenant_id) AS tenant_id, coalesce(f.partner_id, b.partner_id) AS partner_id,
         coalesce(f.cost_bearer, b.cost_bearer) AS cost_bearer, coalesce(f.currency, b.currency) AS currency,
         coalesce(f.issued - f.deducted + f.returned - f.revoked - f.expired - f.reclaimed, 0) AS outstanding, coalesce(b.balance, 0) AS balance
    FROM f FULL JOIN b ON b.tenant_id = f.tenant_id AND b.partner_id = f.partner_id AND b.cost_bearer = f.cost_bearer AND b.currency = f.currency
), bad AS (
  SELECT * FROM checked WHERE outstanding <> balance
)`;

const LINE_COLS = 'tenant_id, partner_id, currency, month, kind, template_id, origin, account_id, reseller_id, adjusts, deducted, returned';
const LIAB_COLS = 'tenant_id, partner_id, currency, month, cost_bearer, opening, issued, deducted, returned, revoked, expired, reclaimed, closing';
const KEY = 'tenant_id, partner_id, currency, cost_bearer';
// A row as a JSON object of strings: amounts never travel as JSON numbers.
const TEXT_JSON = `(SELECT jsonb_object_agg(e.key, e.value #>> '{}') FROM jsonb_each(to_jsonb(d)) e)`;

/**
 * settlements (R37, R38): every closed month against the ledger, recomputed by the same SQL that
 * closed it. A stored line the ledger does not give (`line_not_in_ledger`) or a line the ledger
 * gives that is not stored (`line_missing`); a settlement whose totals are not the sum of its
 * lines (`totals_differ`); a stored liability whose opening, flows or closing are not the ledger's
 * (`liability_not_in_ledger`), or one the ledger gives that is not stored (`liability_missing`).
 * Checked rows: the stored lines, settlements and liabilities.
 */
export const SETTLEMENT_CHECK = `
WITH ${aggCte(`${monthOf('l.at')} IN (SELECT month FROM settlement_months)`)}, ${LINES_CTE},
stored_lines AS (SELECT ${LINE_COLS} FROM settlement_lines),
ledger_lines AS (SELECT ${LINE_COLS} FROM lines),
all_flows AS (
  SELECT l.tenant_id, c.partner_id, c.currency, c.cost_bearer, ${monthOf('l.at')} AS month, ${flowSums('l')}, sum(l.amount) AS net
    FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
   GROUP BY l.tenant_id, c.partner_id, c.currency, c.cost_bearer, 5
), points AS (
  SELECT ${KEY}, month, issued, deducted, returned, revoked, expired, reclaimed, net, true AS booked FROM all_flows
  UNION ALL
  SELECT ${KEY}, month, 0, 0, 0, 0, 0, 0, 0, false FROM settlement_liabilities s
   WHERE NOT EXISTS (SELECT 1 FROM all_flows f WHERE f.tenant_id = s.tenant_id AND f.partner_id = s.partner_id AND f.currency = s.currency
                       AND f.cost_bearer = s.cost_bearer AND f.month = s.month)
), running AS (
  SELECT p.*, sum(net) OVER (PARTITION BY ${KEY} ORDER BY month) AS closing FROM points p
), ledger_liab AS (
  SELECT tenant_id, partner_id, currency, month, cost_bearer, closing - net AS opening, issued, deducted, returned, revoked, expired, reclaimed, closing
    FROM running WHERE month IN (SELECT month FROM settlement_months) AND (booked OR closing - net <> 0)
), stored_liab AS (SELECT ${LIAB_COLS} FROM settlement_liabilities),
sums AS (
  SELECT s.tenant_id, s.partner_id, s.currency, s.month, s.partner_borne, s.passed_up, s.owed, s.vendor_borne, s.adjustments,
         coalesce(sum(x.deducted - x.returned) FILTER (WHERE x.kind = 'partner_borne'), 0) AS l_partner_borne,
         coalesce(sum(x.deducted - x.returned) FILTER (WHERE x.kind = 'reseller'), 0) AS l_passed_up,
         coalesce(sum(x.deducted - x.returned) FILTER (WHERE x.kind = 'vendor_borne'), 0) AS l_vendor_borne,
         coalesce(sum(x.deducted - x.returned) FILTER (WHERE x.adjusts IS NOT NULL AND x.kind <> 'vendor_borne'), 0) AS l_adjustments
    FROM settlements s LEFT JOIN settlement_lines x ON x.tenant_id = s.tenant_id AND x.partner_id = s.partner_id AND x.currency = s.currency AND x.month = s.month
   GROUP BY s.tenant_id, s.partner_id, s.currency, s.month
), checked AS (
  SELECT 1 FROM stored_lines UNION ALL SELECT 1 FROM settlements UNION ALL SELECT 1 FROM stored_liab
), bad AS (
  SELECT 'line_not_in_ledger' AS problem, tenant_id, partner_id, currency, month, ${TEXT_JSON} AS detail FROM (SELECT * FROM stored_lines EXCEPT ALL SELECT * FROM ledger_lines) d
  UNION ALL
  SELECT 'line_missing', tenant_id, partner_id, currency, month, ${TEXT_JSON} FROM (SELECT * FROM ledger_lines EXCEPT ALL SELECT * FROM stored_lines) d
  UNION ALL
  SELECT 'totals_differ', tenant_id, partner_id, currency, month, ${TEXT_JSON} FROM sums d
   WHERE partner_borne <> l_partner_borne OR passed_up <> l_passed_up OR owed <> l_partner_borne + l_passed_up OR vendor_borne <> l_vendor_borne
      OR adjustments <> l_adjustments
  UNION ALL
  SELECT 'liability_not_in_ledger', tenant_id, partner_id, currency, month, ${TEXT_JSON} FROM (SELECT * FROM stored_liab EXCEPT ALL SELECT * FROM ledger_liab) d
  UNION ALL
  SELECT 'liability_missing', tenant_id, partner_id, currency, month, ${TEXT_JSON} FROM (SELECT * FROM ledger_liab EXCEPT ALL SELECT * FROM stored_liab) d
)`;
