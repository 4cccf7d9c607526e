import type { EntityManager } from 'typeorm';
import { aggCte, headsCte, inMonth, liabilityCte, LINE_ORDER, LINES_CTE, partnerAndResellers } from './settlement.sql';
import { firstDay, type MonthText } from './settlement-month';
import { first } from '../db/rows';

/**
 * One partner's settlement figures of one month, as JSON built in SQL (amounts as text): a closed
 * month from its stored rows, an open one computed live by the same CTEs that close a month
 * (settlement.sql.ts), limited to the partner and its resellers.
 */
export interface HeadRow {
  currency: string;
  tier: 1 | 2;
  partnerBorne: string;
  passedUp: string;
  owed: string;
  vendorBorne: string;
  adjustments: string;
}
export interface LiabilityRow {
  currency: string;
  costBearer: 'vendor' | 'partner';
  opening: string;
  issued: string;
  deducted: string;
  returned: string;
  revoked: string;
  expired: string;
  reclaimed: string;
  closing: string;
}
export interface LineRow {
  currency: string;
  line: number;
  kind: 'partner_borne' | 'reseller' | 'vendor_borne';
  templateId: string | null;
  templateName: string;
  accountId: string | null;
  accountName: string | null;
  resellerId: string | null;
  resellerName: string | null;
  adjusts: string | null;
  deducted: string;
  returned: string;
}
export interface MonthFigures {
  heads: HeadRow[];
  liability: LiabilityRow[];
  lines: LineRow[];
}

const HEAD_JSON = `json_build_object('currency', h.currency, 'tier', h.tier, 'partnerBorne', h.partner_borne::text, 'passedUp', h.passed_up::text,
  'owed', h.owed::text, 'vendorBorne', h.vendor_borne::text, 'adjustments', h.adjustments::text)`;
const LIABILITY_JSON = `json_build_object('currency', b.currency, 'costBearer', b.cost_bearer, 'opening', b.opening::text, 'issued', b.issued::text,
  'deducted', b.deducted::text, 'returned', b.returned::text, 'revoked', b.revoked::text, 'expired', b.expired::text,
  'reclaimed', b.reclaimed::text, 'closing', b.closing::text)`;
/** A line with the names of its template, subaccount and reseller (x: the line; t, a, r: joined). */
export const LINE_JSON = `json_build_object('currency', x.currency, 'line', x.line, 'kind', x.kind, 'templateId', x.template_id,
  'templateName', coalesce(t.name, x.origin), 'accountId', x.account_id, 'accountName', a.name, 'resellerId', x.reseller_id,
  'resellerName', r.name, 'adjusts', to_char(x.adjusts, 'YYYY-MM'), 'deducted', x.deducted::text, 'returned', x.returned::text)`;
export const LINE_JOINS = `LEFT JOIN coupon_templates t ON t.tenant_id = x.tenant_id AND t.id = x.template_id
  LEFT JOIN accounts a ON a.tenant_id = x.tenant_id AND a.id = x.account_id
  LEFT JOIN partners r ON r.tenant_id = x.tenant_id AND r.id = x.reseller_id`;

const agg = (from: string, json: string, order: string) => `(SELECT coalesce(json_agg(${json} ORDER BY ${order}), '[]') FROM ${from})`;

const STORED_SQL = `SELECT
  ${agg('settlements h WHERE h.tenant_id = $1 AND h.partner_id = $2 AND h.month = $3::date', HEAD_JSON, 'h.currency')} AS heads,
  ${agg('settlement_liabilities b WHERE b.tenant_id = $1 AND b.partner_id = $2 AND b.month = $3::date', LIABILITY_JSON, 'b.currency, b.cost_bearer')} AS liability,
  ${agg(`settlement_lines x ${LINE_JOINS} WHERE x.tenant_id = $1 AND x.partner_id = $2 AND x.month = $3::date`, LINE_JSON, 'x.currency, x.line')} AS lines`;

const LIVE_SQL = `
WITH ${aggCte(`${inMonth('$3')} AND l.tenant_id = $1`, partnerAndResellers('$1', '$2'))}, ${LINES_CTE},
${liabilityCte('$3', (t, p) => `${t} = $1 AND ${p} = $2`)}, ${headsCte('$3')}
SELECT
  ${agg('heads h WHERE h.partner_id = $2', HEAD_JSON, 'h.currency')} AS heads,
  ${agg('liab b WHERE b.partner_id = $2', LIABILITY_JSON, 'b.currency, b.cost_bearer')} AS liability,
  ${agg(`(SELECT l.*, row_number() OVER (PARTITION BY l.currency ORDER BY ${LINE_ORDER})::int AS line FROM lines l WHERE l.partner_id = $2) x ${LINE_JOINS}`, LINE_JSON, 'x.currency, x.line')} AS lines`;

export async function monthFigures(em: EntityManager, tenantId: string, partnerId: string, month: MonthText, closed: boolean): Promise<MonthFigures> {
  return first<MonthFigures>(await em.query(closed ? STORED_SQL : LIVE_SQL, [tenantId, partnerId, firstDay(month)]), 'the month\'s figures');
}

/** A closed month's lines of one partner, a page at a time after (currency, line): for the CSV. */
export async function storedLinesPage(em: EntityManager, tenantId: string, partnerId: string, month: MonthText, after: [string, number] | null, limit: number): Promise<LineRow[]> {
  const rows: { j: LineRow }[] = await em.query(
    `SELECT ${LINE_JSON} AS j FROM settlement_lines x ${LINE_JOINS}
      WHERE x.tenant_id = $1 AND x.partner_id = $2 AND x.month = $3::date AND ($4::text IS NULL OR (x.currency, x.line) > ($4::char(3), $5::int))
      ORDER BY x.currency, x.line LIMIT $6`,
    [tenantId, partnerId, firstDay(month), after?.[0] ?? null, after?.[1] ?? 0, limit],
  );
  return rows.map((r) => r.j);
}
