import { z } from '../shared/zod';
import { Id, InstantText, PageQuery, page } from '../shared/schemas';
import { Currency, MinorUnits } from '../shared/money-schema';
import { ProductCode } from '../catalog/product.schema';

// The bodies, queries and answers of the pay-as-you-go routes (R20, R23).
export const UsageBody = z
  .strictObject({
    records: z
      .array(
        z.strictObject({
          usageId: z.string().min(1).max(128).describe('The caller\'s id: a record sent twice is kept once'),
          accountId: Id,
          productCode: ProductCode,
          currency: Currency,
          amount: MinorUnits,
          occurredAt: InstantText,
        }),
      )
      .min(1)
      .max(10_000),
  })
  .openapi('UsageBatch');
export const CycleBody = z
  .strictObject({ period: z.enum(['hourly', 'daily']), periodStart: InstantText.describe('Aligned to the hour or the UTC day') })
  .openapi('StartBillingCycle');
export const CycleJson = z
  .object({
    id: Id, period: z.string(), periodStart: z.string(), periodEnd: z.string(), status: z.enum(['running', 'done', 'failed']),
    failure: z.string().nullable().describe('Why a failed cycle stopped'), progress: z.object({ done: z.number(), total: z.number() }),
  })
  .openapi('BillingCycle');
export const ListCyclesQuery = z.strictObject({ status: z.enum(['running', 'done', 'failed']).optional(), limit: PageQuery.limit });
export const BillJson = z
  .object({
    id: Id, accountId: Id, productCode: z.string(), currency: z.string(), periodStart: z.string(), periodEnd: z.string(),
    amount: z.string(), couponDeduction: z.string(), cashDue: z.string(), status: z.enum(['unpaid', 'paid', 'overdue']), dueAt: z.string(),
  })
  .openapi('Bill');
export const ListBillsQuery = z.strictObject({ ...PageQuery, accountId: Id.optional(), status: z.enum(['unpaid', 'paid', 'overdue']).optional() });
export const UsageAnswer = z.object({ received: z.number(), accepted: z.number(), duplicates: z.number() });
export const BillPage = page(BillJson).openapi('BillPage');
export const CycleList = z.object({ items: z.array(CycleJson) }).openapi('BillingCycleList');
