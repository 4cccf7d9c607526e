// Sums of the promotion expense for the admin's page: exact (BigInt), pure (tested by test/web/months.test.ts).
import type { ExpenseRow } from '../api-types';
import { sumMinor } from '../money';

/** The month's expense per currency. */
export function expenseTotals(rows: ExpenseRow[]): { currency: string; net: string }[] {
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return currencies.map((currency) => ({ currency, net: sumMinor(rows.filter((r) => r.currency === currency).map((r) => r.net)) }));
}

export interface BdExpense {
  bdUserId: string | null;
  bdName: string | null;
  currency: string;
  /** How many partners of the BD's had expense in the currency. */
  partners: number;
  deducted: string;
  returned: string;
  net: string;
}

/** Per BD and currency, in the API's order (BDs by name, partners without a BD last). */
export function expenseByBd(rows: ExpenseRow[]): BdExpense[] {
  const groups = new Map<string, ExpenseRow[]>();
  for (const r of rows) {
    const key = `${r.bdUserId ?? ''}|${r.currency}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const { bdUserId, bdName, currency } = g[0]!;
    const sum = (pick: (r: ExpenseRow) => string) => sumMinor(g.map(pick));
    return { bdUserId, bdName, currency, partners: new Set(g.map((r) => r.partnerId)).size, deducted: sum((r) => r.deducted), returned: sum((r) => r.returned), net: sum((r) => r.net) };
  });
}
