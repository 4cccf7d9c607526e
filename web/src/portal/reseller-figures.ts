// R39: a distributor's resellers as the Resellers page shows them, from its own reseller accounts
// and GET /v1/partners/:id/reseller-totals. Pure (tested by test/web/months.test.ts): exact sums
// (BigInt), nothing below the reseller (the API gives no customer, and nothing here asks for one).
import type { Account, ResellerOwed, ResellerTotals, ResellerTotalsRow } from '../api-types';
import { sumMinor } from '../money';
import type { MonthText } from '../months';

export const FLOWS = ['issued', 'deducted', 'returned', 'revoked', 'expired', 'reclaimed'] as const;
export type Flow = (typeof FLOWS)[number];

export interface Reseller {
  /** The reseller partner's id. */
  id: string;
  /** Its partner name (from the totals), else the name of its account with the distributor. */
  name: string;
  /** Its account with the distributor, when there is one in the list loaded. */
  accountName: string | null;
  /** Per month, template, cost bearer and currency, oldest month first (as the API orders them). */
  rows: ResellerTotalsRow[];
  /** What it owes the distributor, per month and currency. */
  owed: ResellerOwed[];
}

/**
 * Every reseller that has an account with the distributor or figures in the range, by name. A
 * reseller account names its partner (`resellerPartnerId`).
 */
export function resellersOf(accounts: Account[], totals: ResellerTotals | undefined): Reseller[] {
  const byId = new Map<string, Reseller>();
  const get = (id: string) => {
    let r = byId.get(id);
    if (!r) byId.set(id, (r = { id, name: '', accountName: null, rows: [], owed: [] }));
    return r;
  };
  for (const a of accounts) if (a.kind === 'reseller' && a.resellerPartnerId) get(a.resellerPartnerId).accountName ??= a.name;
  for (const row of totals?.items ?? []) {
    const r = get(row.resellerId);
    r.name = row.resellerName;
    r.rows.push(row);
  }
  for (const o of totals?.settlements ?? []) get(o.resellerId).owed.push(o);
  const all = [...byId.values()].map((r) => ({ ...r, name: r.name || r.accountName || 'Reseller' }));
  return all.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export interface RangeFigures {
  costBearer: ResellerTotalsRow['costBearer'];
  currency: string;
  /** Each flow summed over the range's months and templates. */
  flows: Record<Flow, string>;
  /** Outstanding at the end of the range's last month. */
  outstanding: string;
}

/** Per cost bearer and currency (partner-borne first), the range's flows and what is outstanding at `last`'s end. */
export function rangeFigures(rows: ResellerTotalsRow[], last: MonthText): RangeFigures[] {
  const groups = new Map<string, ResellerTotalsRow[]>();
  for (const r of rows) {
    const key = `${r.costBearer === 'partner' ? 0 : 1}|${r.currency}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, group]) => {
      const { costBearer, currency } = group[0]!;
      const flows = Object.fromEntries(FLOWS.map((f) => [f, sumMinor(group.map((r) => r[f]))])) as Record<Flow, string>;
      return { costBearer, currency, flows, outstanding: sumMinor(group.filter((r) => r.month === last).map((r) => r.outstanding)) };
    });
}
