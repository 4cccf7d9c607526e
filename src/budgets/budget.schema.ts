import { z } from '../shared/zod';
import { EntryIdAfter, Id, Instant, PageQuery, Reason } from '../shared/schemas';
import { Currency, MinorUnits, PositiveMinorUnits } from '../shared/money-schema';

export const BudgetKind = z.enum(['vendor', 'partner']).describe('vendor: what the vendor bears for the partner; partner: a ceiling on what the partner bears');

export const BudgetJson = z
  .object({
    id: Id,
    partnerId: Id,
    kind: BudgetKind,
    currency: z.string(),
    periodStart: z.string(),
    periodEnd: z.string().describe('Excluded: the period is [periodStart, periodEnd)'),
    parentBudgetId: Id.nullable().describe("A reseller's allocation: the distributor's budget it came from"),
    amount: z.string().describe('Granted (for a reseller: allocated to it by its distributor)'),
    allocated: z.string().describe('Handed down to resellers'),
    reserved: z.string().describe('Held by requests not yet issued'),
    committed: z.string().describe('Issued (less what voids gave back)'),
    used: z.string().describe('reserved + committed'),
    available: z.string().describe('amount - allocated - reserved - committed'),
  })
  .openapi('Budget');

export const BudgetListQuery = z.strictObject({
  kind: BudgetKind.optional(),
  currency: Currency.optional(),
  at: Instant.optional().describe('Only budgets whose period holds this instant'),
});

const PeriodFields = {
  periodStart: Instant.optional().describe('Default: the start of the current calendar quarter (UTC)'),
  periodEnd: Instant.optional().describe('Default: the end of that quarter; give both or neither'),
};

export const GrantBudgetBody = z
  .strictObject({ kind: BudgetKind, currency: Currency, amount: PositiveMinorUnits, reason: Reason, ...PeriodFields })
  .refine((b) => (b.periodStart === undefined) === (b.periodEnd === undefined), { message: 'give both periodStart and periodEnd, or neither', path: ['periodEnd'] })
  .refine((b) => !b.periodStart || !b.periodEnd || b.periodEnd > b.periodStart, { message: 'must be after periodStart', path: ['periodEnd'] })
  .openapi('GrantBudget');

export const SetBudgetAmountBody = z.strictObject({ amount: MinorUnits, reason: Reason }).openapi('SetBudgetAmount');

export const BudgetLedgerQuery = z.strictObject({ limit: PageQuery.limit, after: EntryIdAfter });

export const BudgetLedgerEntryJson = z
  .object({
    id: z.string(),
    at: z.string(),
    type: z.enum(['grant', 'lower', 'allocate', 'deallocate', 'reserve', 'release', 'commit', 'revoke']),
    amount: z.string().describe('Minor units, > 0; the type says which figure it moves'),
    by: z.object({ id: Id, name: z.string(), email: z.string() }).nullable().describe('null: the system (a request moving, a job)'),
    reason: z.string().nullable(),
    requestId: Id.nullable(),
    couponId: Id.nullable(),
    counterpartBudgetId: Id.nullable(),
  })
  .openapi('BudgetLedgerEntry');
export const BudgetLedgerPage = z.object({ items: z.array(BudgetLedgerEntryJson), next: z.string().nullable() }).openapi('BudgetLedgerPage');
