import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { authorize, findReadable } from '../auth/scope';
import { ForbiddenError } from '@casl/ability';
import { inTransaction } from '../db/tx';
import { csvDownload, type CsvDownload } from '../shared/download';
import { toBigInt } from '../shared/money';
import { config } from '../config';
import { Partner } from '../tenancy/partners/partner.entity';
import { aggCte, endOf, LINES_CTE, partnerAndResellers, startOf } from './settlement.sql';
import { closedMonth, closeMonth, type ClosedMonth } from './close-month';
import { monthFigures, storedLinesPage, type LineRow } from './month-figures';
import { addMonths, closableAt, firstDay, monthOfInstant, monthRange, type MonthText } from './settlement-month';
import { MAX_RANGE_MONTHS, type MonthQuery, type RangeQuery, type SettlementJson, type SettlementList } from './settlement.schema';
import { first, nth } from '../db/rows';

/**
 * R37: a partner's settlements, read by its own users and the platform admins (CASL `Settlement`),
 * never by a reseller for its distributor (not its partner: 404) nor by a distributor for a
 * reseller (its customers would show: 403; R39 has its own view). Closed months come from their
 * stored rows; open ones are computed live by the SQL that closes them.
 */
async function readablePartner(ctx: Ctx, partnerId: string): Promise<Partner> {
  const partner = await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', partnerId);
  authorize(ctx, 'read', 'Settlement', { tenantId: partner.tenantId, partnerId: partner.id });
  return partner;
}

/** The months of a range query (the last 12 by default), with its first and last. */
export function rangeOf(q: z.output<typeof RangeQuery>): { months: MonthText[]; from: MonthText; to: MonthText } {
  const to = q.to ?? monthOfInstant(new Date());
  const months = monthRange(q.from ?? addMonths(to, -11), to, MAX_RANGE_MONTHS);
  return { months, from: first(months, 'the range'), to: nth(months, months.length - 1, 'the range') };
}

const net = (l: { deducted: string; returned: string }) => (toBigInt(l.deducted) - toBigInt(l.returned)).toString();

const LIVE_TOTALS_SQL = `
WITH ${aggCte(`l.at >= ${startOf('$3')} AND l.at < ${endOf('$4')} AND l.tenant_id = $1`, partnerAndResellers('$1', '$2'))}, ${LINES_CTE}
SELECT to_char(month, 'YYYY-MM') AS month, currency,
       coalesce(sum(deducted - returned) FILTER (WHERE kind = 'partner_borne'), 0)::text AS "partnerBorne",
       coalesce(sum(deducted - returned) FILTER (WHERE kind = 'reseller'), 0)::text AS "passedUp",
       coalesce(sum(deducted - returned) FILTER (WHERE kind <> 'vendor_borne'), 0)::text AS owed,
       coalesce(sum(deducted - returned) FILTER (WHERE kind = 'vendor_borne'), 0)::text AS "vendorBorne",
       coalesce(sum(deducted - returned) FILTER (WHERE adjusts IS NOT NULL AND kind <> 'vendor_borne'), 0)::text AS adjustments
  FROM lines WHERE partner_id = $2 AND NOT EXISTS (SELECT 1 FROM settlement_months sm WHERE sm.month = lines.month)
 GROUP BY month, currency`;

const STORED_TOTALS_SQL = `
SELECT to_char(s.month, 'YYYY-MM') AS month, s.currency, s.partner_borne::text AS "partnerBorne", s.passed_up::text AS "passedUp", s.owed::text AS owed,
       s.vendor_borne::text AS "vendorBorne", s.adjustments::text AS adjustments
  FROM settlements s
 WHERE s.tenant_id = $1 AND s.partner_id = $2 AND s.month >= $3::date AND s.month <= $4::date
   AND EXISTS (SELECT 1 FROM settlement_lines x WHERE x.tenant_id = s.tenant_id AND x.partner_id = s.partner_id AND x.currency = s.currency AND x.month = s.month)`;

type ListItem = z.infer<typeof SettlementList>['items'][number];

/** GET /v1/partners/:id/settlements: the months of a range with a settlement, open or closed. */
export async function listSettlements(ctx: Ctx, partnerId: string, q: z.output<typeof RangeQuery>): Promise<z.infer<typeof SettlementList>> {
  const partner = await readablePartner(ctx, partnerId);
  const { from, to } = rangeOf(q);
  const params = [partner.tenantId, partner.id, firstDay(from), firstDay(to)];
  const [stored, live] = (await Promise.all([ctx.ds.query(STORED_TOTALS_SQL, params), ctx.ds.query(LIVE_TOTALS_SQL, params)])) as [Omit<ListItem, 'status'>[], Omit<ListItem, 'status'>[]];
  const items = [...stored.map((s) => ({ ...s, status: 'closed' as const })), ...live.map((s) => ({ ...s, status: 'open' as const }))];
  items.sort((a, b) => b.month.localeCompare(a.month) || a.currency.localeCompare(b.currency));
  return { partnerId: partner.id, from, to, items };
}

const CSV_COLUMNS = ['month', 'currency', 'line', 'kind', 'templateId', 'templateName', 'accountId', 'accountName', 'resellerId', 'resellerName', 'adjusts', 'deducted', 'returned', 'net'];
const csvLine = (month: MonthText) => (l: LineRow) => ({ month, ...l, net: net(l) });

/** GET /v1/partners/:id/settlements/:month: one month's settlement per currency, JSON or CSV. */
export async function partnerSettlement(ctx: Ctx, partnerId: string, month: MonthText, q: z.output<typeof MonthQuery>): Promise<z.infer<typeof SettlementJson> | CsvDownload> {
  const partner = await readablePartner(ctx, partnerId);
  const closed = await closedMonth(ctx.ds.manager, month);
  const only = <T extends { currency: string }>(rows: T[]) => rows.filter((r) => !q.currency || r.currency === q.currency);
  if (q.format === 'csv') {
    const filename = `settlement-${partner.id}-${month}.csv`;
    if (!closed) return csvDownload(filename, CSV_COLUMNS, only((await monthFigures(ctx.ds.manager, partner.tenantId, partner.id, month, false)).lines).map(csvLine(month)));
    // A closed month streams from its stored lines, a page at a time as the client reads.
    const rows = async function* () {
      let after: [string, number] | null = null;
      for (;;) {
        const page = await storedLinesPage(ctx.ds.manager, partner.tenantId, partner.id, month, after, 1000);
        for (const l of only(page)) yield csvLine(month)(l);
        const last = page[page.length - 1];
        if (page.length < 1000 || !last) return;
        after = [last.currency, last.line];
      }
    };
    return csvDownload(filename, CSV_COLUMNS, rows());
  }
  const f = await monthFigures(ctx.ds.manager, partner.tenantId, partner.id, month, closed !== null);
  return {
    partnerId: partner.id,
    partnerName: partner.name,
    month,
    status: closed ? 'closed' : 'open',
    closedAt: closed?.closedAt ?? null,
    settlements: only(f.heads).map((h) => ({
      currency: h.currency, partnerBorne: h.partnerBorne, passedUp: h.passedUp, owed: h.owed, vendorBorne: h.vendorBorne, adjustments: h.adjustments,
      owedTo: h.tier === 1 ? ('vendor' as const) : ('distributor' as const),
      liability: f.liability.filter((b) => b.currency === h.currency),
      lines: f.lines.filter((l) => l.currency === h.currency).map(({ currency: _c, ...l }) => ({ ...l, net: net(l) })),
    })),
  };
}

/** GET /v1/settlement-months: which months of a range are closed (anyone who reads settlements). */
export async function settlementMonths(ctx: Ctx, q: z.output<typeof RangeQuery>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'SettlementMonth');
  const { months, from, to } = rangeOf(q);
  const rows: { month: string; closed_at: Date }[] = await ctx.ds.query(
    `SELECT to_char(month, 'YYYY-MM') AS month, closed_at FROM settlement_months WHERE month >= $1::date AND month <= $2::date`,
    [firstDay(from), firstDay(to)],
  );
  const closed = new Map(rows.map((r) => [r.month, r.closed_at.toISOString()]));
  const grace = config().SETTLEMENT_GRACE_SECONDS;
  return {
    items: months.reverse().map((m) => ({ month: m, status: closed.has(m) ? ('closed' as const) : ('open' as const), closedAt: closed.get(m) ?? null, closableAt: closableAt(m, grace).toISOString() })),
  };
}

/** POST /v1/settlement-months/:month/close (platform admin): the same close as the scheduled job. */
export async function closeSettlementMonth(ctx: Ctx, month: MonthText): Promise<ClosedMonth> {
  ForbiddenError.from(ctx.ability).throwUnlessCan('close', 'SettlementMonth');
  return inTransaction(ctx.ds, (em) => closeMonth(em, month, ctx.actor.userId));
}
