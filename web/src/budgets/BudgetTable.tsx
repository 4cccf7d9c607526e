import type { ReactNode } from 'react';
import type { Budget } from '../api-types';
import { EmptyState } from '../components/EmptyState';
import { Money } from '../components/Money';
import { Table, type Column } from '../components/Table';
import { BUDGET_KIND, periodText } from './budget-text';

/** "the USD partner-borne budget of Q2 2026 (…)": a budget named in a sentence or a link's label. */
export const budgetName = (b: Budget) => `the ${b.currency} ${BUDGET_KIND[b.kind].toLowerCase()} budget of ${periodText(b.periodStart, b.periodEnd)}`;

/**
 * A partner's budgets and their figures: granted, handed on to resellers (`withAllocated`), reserved
 * by open requests, issued, and what is left. `open` adds a last column (a link to the budget).
 */
export function BudgetTable({ caption, budgets, withAllocated, open, empty }: {
  caption: string;
  budgets: Budget[];
  withAllocated: boolean;
  open?: (b: Budget) => ReactNode;
  empty: ReactNode;
}) {
  const money = (pick: (b: Budget) => string) => (b: Budget) => <Money minor={pick(b)} currency={b.currency} />;
  const columns: Column<Budget>[] = [
    { header: 'Kind', cell: (b) => <><span className="nowrap">{BUDGET_KIND[b.kind]}</span>{b.parentBudgetId ? <span className="hint"> (from your distributor)</span> : null}</> },
    { header: 'Currency', cell: (b) => b.currency },
    { header: 'Period', cell: (b) => periodText(b.periodStart, b.periodEnd) },
    { header: 'Granted', align: 'right', cell: money((b) => b.amount) },
    ...(withAllocated ? [{ header: 'Allocated to resellers', align: 'right' as const, cell: money((b) => b.allocated) }] : []),
    { header: 'Reserved by open requests', align: 'right', cell: money((b) => b.reserved) },
    { header: 'Issued', align: 'right', cell: money((b) => b.committed) },
    { header: 'Left', align: 'right', cell: (b) => <strong><Money minor={b.available} currency={b.currency} /></strong> },
    ...(open ? [{ header: 'Details', cell: open }] : []),
  ];
  return <Table caption={caption} rows={budgets} rowKey={(b) => b.id} columns={columns} empty={typeof empty === 'string' ? <EmptyState title={empty} /> : empty} />;
}
