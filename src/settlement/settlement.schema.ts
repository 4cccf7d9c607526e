import { z } from '../shared/zod';
import { Id, InstantText } from '../shared/schemas';

/** A UTC calendar month, YYYY-MM, from 1970 (no instant of the API is earlier) to 9999. */
export const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a YYYY-MM month')
  .refine((m) => m >= '1970-01', 'from 1970-01 on')
  .openapi({ example: '2025-01' });
export const MonthParams = z.strictObject({ month: Month });
export const PartnerMonthParams = z.strictObject({ id: Id, month: Month });

const Amount = z.string().openapi({ description: 'Integer minor units, as a string', example: '5000' });
const Currency = z.string().regex(/^[A-Z]{3}$/);
const Format = z.enum(['json', 'csv']).default('json');

export const MAX_RANGE_MONTHS = 24;
export const RangeQuery = z.strictObject({
  from: Month.optional().describe('First month (default: 11 months before `to`)'),
  to: Month.optional().describe('Last month, inclusive (default: this month)'),
});
export const MonthQuery = z.strictObject({ currency: Currency.optional(), format: Format });
export const ExpenseQuery = z.strictObject({ month: Month, format: Format });
export const LiabilityQuery = z.strictObject({ at: InstantText.optional().describe('The instant (default: now); figures of ledger rows at or before it') });

export const ClosedMonthJson = z
  .object({ month: z.string(), closedAt: z.string(), closedBy: Id.nullable().describe('Null: the scheduled job'), settlements: z.number().int() })
  .openapi('SettlementMonthClosed');
export const MonthStatusList = z
  .object({ items: z.array(z.object({ month: z.string(), status: z.enum(['open', 'closed']), closedAt: z.string().nullable(), closableAt: z.string() })) })
  .openapi('SettlementMonths');

const Totals = {
  currency: z.string(),
  partnerBorne: Amount.describe("Net of the partner's own partner-borne coupons"),
  passedUp: Amount.describe("A distributor's: what its resellers' partner-borne coupons pass up to it"),
  owed: Amount.describe('partnerBorne + passedUp: owed to the distributor (a reseller) or to the vendor (a distributor)'),
  vendorBorne: Amount.describe('Net of its vendor-borne coupons: the vendor\'s promotion expense'),
  adjustments: Amount.describe('The part of owed that gives back deductions of earlier months'),
};
export const SettlementList = z
  .object({
    partnerId: Id,
    from: z.string(),
    to: z.string(),
    items: z.array(z.object({ month: z.string(), status: z.enum(['open', 'closed']), ...Totals })),
  })
  .openapi('SettlementList');

const Line = z.object({
  line: z.number().int(),
  kind: z.enum(['partner_borne', 'reseller', 'vendor_borne']),
  templateId: Id.nullable(),
  templateName: z.string().describe('The template, or the origin of a coupon without one (voucher, compensation)'),
  accountId: Id.nullable().describe('partner_borne lines: the subaccount that spent'),
  accountName: z.string().nullable(),
  resellerId: Id.nullable().describe('reseller lines: the reseller whose coupons pass up'),
  resellerName: z.string().nullable(),
  adjusts: z.string().nullable().describe('An adjustment: the earlier month whose deduction a return gives back'),
  deducted: Amount,
  returned: Amount,
  net: Amount,
});
export const LiabilityFigures = z.object({
  costBearer: z.enum(['vendor', 'partner']),
  currency: z.string(),
  issued: Amount,
  deducted: Amount,
  returned: Amount,
  revoked: Amount,
  expired: Amount,
  reclaimed: Amount.describe('Voucher balances reclaimed into their pool (R32)'),
});
const MonthLiability = LiabilityFigures.extend({ opening: Amount, closing: Amount });
export const SettlementJson = z
  .object({
    partnerId: Id,
    partnerName: z.string(),
    month: z.string(),
    status: z.enum(['open', 'closed']),
    closedAt: z.string().nullable(),
    settlements: z.array(z.object({ ...Totals, owedTo: z.enum(['vendor', 'distributor']), liability: z.array(MonthLiability), lines: z.array(Line) })),
  })
  .openapi('Settlement');

export const LiabilityJson = z
  .object({
    partnerId: Id,
    at: z.string(),
    items: z.array(
      LiabilityFigures.extend({
        outstanding: Amount.describe('issued - deducted + returned - revoked - expired - reclaimed'),
        balance: Amount.nullable().describe('Now only: the sum of the coupons\' balances, which must equal outstanding (R38)'),
      }),
    ),
    balanced: z.boolean().nullable().describe('Now only: outstanding = balance for every row'),
  })
  .openapi('Liability');

export const ResellerTotalsJson = z
  .object({
    partnerId: Id,
    from: z.string(),
    to: z.string(),
    items: z.array(
      LiabilityFigures.extend({
        resellerId: Id,
        resellerName: z.string(),
        month: z.string(),
        templateId: Id.nullable(),
        templateName: z.string(),
        outstanding: Amount.describe('At the end of the month'),
      }),
    ),
    settlements: z.array(z.object({ resellerId: Id, month: z.string(), status: z.enum(['open', 'closed']), currency: z.string(), owed: Amount })),
  })
  .openapi('ResellerTotals');

export const ExpenseJson = z
  .object({
    month: z.string(),
    status: z.enum(['open', 'closed']),
    items: z.array(
      z.object({
        bdUserId: Id.nullable(),
        bdName: z.string().nullable(),
        partnerId: Id,
        partnerName: z.string(),
        templateId: Id.nullable(),
        templateName: z.string(),
        currency: z.string(),
        deducted: Amount,
        returned: Amount,
        net: Amount,
      }),
    ),
  })
  .openapi('PromotionExpense');
