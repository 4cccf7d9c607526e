import { z } from '../shared/zod';
import { Id, Reason } from '../shared/schemas';
import type { RefundTerms, TermClass } from './refund-rules';

const Amount = z.string().describe('Integer minor units, as a string');
const TERM_CLASSES = ['three_year', 'two_year', 'one_year', 'monthly'] as const;
export const RESOURCE_STATES = ['active', 'grace_period', 'retention_period'] as const;
export const POLICIES = ['none', 'proportional'] as const;

export const RefundBody = z
  .strictObject({ reason: Reason.optional().describe('Why the customer unsubscribes') })
  .optional()
  .openapi('RefundOrder');
export const ResourceStateBody = z
  .strictObject({ state: z.enum(RESOURCE_STATES).describe('grace_period and retention_period are not refundable (R29)') })
  .openapi('SetResourceState');
export const PolicyBody = z
  .strictObject({ policy: z.enum(POLICIES).describe('proportional: a partial refund returns the unused share of the coupon deduction (R28)') })
  .openapi('SetRefundPolicy');
export const PolicyJson = z.object({ policy: z.enum(POLICIES), updatedAt: z.string(), updatedBy: Id.nullable() }).openapi('RefundPolicy');

export const RefundTermsJson = z
  .object({
    cashPaid: Amount.describe('The cash the order was paid with; never the coupon deduction (R28)'),
    couponId: Id.nullable(),
    couponDeduction: Amount,
    usedPeriod: z.object({ start: z.string(), end: z.string(), milliseconds: z.string() }),
    subscription: z
      .object({ months: z.number(), termClass: z.enum(TERM_CLASSES), start: z.string(), end: z.string(), milliseconds: z.string() })
      .nullable()
      .describe('The subscribed period: null when the items carry no single duration'),
    handlingFee: z.object({
      rate: z.string().describe('e.g. "15%"'),
      rateBasisPoints: z.number(),
      band: z.string().nullable().describe('The band of the handling-fee table that applied'),
      amount: Amount.describe('cash paid x rate, rounded half up'),
    }),
    amountDue: Amount.describe('cash paid x used / subscribed, rounded half up'),
    refund: Amount.describe('Cash refunded: cash paid - handling fee - amount due, never below 0; all the cash for a five-day refund'),
    couponReturn: Amount.describe('What returns to the coupon'),
  })
  .openapi('RefundTerms');

export const RefundQuoteJson = z
  .object({
    orderId: Id,
    accountId: Id,
    currency: z.string(),
    paidAt: z.string(),
    at: z.string().describe('The instant the quote was computed for'),
    refundable: z.boolean(),
    rule: z.enum(['five_day_full', 'partial']).nullable(),
    refusal: z.string().nullable().describe('Why not: already_refunded, product_not_refundable, resource_in_grace_period, ...'),
    policy: z.enum(POLICIES),
    fiveDay: z.object({ windowEndsAt: z.string(), refundsThisYear: z.number(), limitPerYear: z.number(), year: z.number() }),
    terms: RefundTermsJson.nullable(),
    explanation: z.array(z.string()).describe('Which rule applied and why, each term shown'),
  })
  .openapi('RefundQuote');

export const RefundJson = z
  .object({
    id: Id,
    orderId: Id,
    accountId: Id,
    currency: z.string(),
    rule: z.enum(['five_day_full', 'partial']),
    policy: z.enum(POLICIES),
    terms: RefundTermsJson,
    explanation: z.array(z.string()),
    reason: z.string().nullable(),
    createdBy: Id,
    createdAt: z.string(),
  })
  .openapi('Refund');

const bandText = (t: RefundTerms) =>
  t.feeBand === null ? null : t.feeBand.usedUpToMonths === null ? 'last band (to the end of the term)' : `used up to ${t.feeBand.usedUpToMonths} months`;

export function termsJson(t: RefundTerms, couponId: string | null, paidAt: Date): z.infer<typeof RefundTermsJson> {
  const s = t.subscription;
  return {
    cashPaid: t.cashPaid.toString(),
    couponId,
    couponDeduction: t.couponDeduction.toString(),
    usedPeriod: { start: paidAt.toISOString(), end: new Date(paidAt.getTime() + Number(t.usedMs)).toISOString(), milliseconds: t.usedMs.toString() },
    subscription: s && { months: s.months, termClass: s.termClass, start: s.start.toISOString(), end: s.end.toISOString(), milliseconds: s.ms.toString() },
    handlingFee: { rate: `${t.feeRateBp / 100}%`, rateBasisPoints: t.feeRateBp, band: bandText(t), amount: t.handlingFee.toString() },
    amountDue: t.amountDue.toString(),
    refund: t.refund.toString(),
    couponReturn: t.couponReturn.toString(),
  };
}

/** A refunds row, with its order's paid_at, as the pg driver returns it (int8 as text). */
export interface RefundRow {
  id: string;
  order_id: string;
  account_id: string;
  currency: string;
  rule: 'five_day_full' | 'partial';
  policy: 'none' | 'proportional';
  term_class: TermClass | null;
  subscribed_months: number | null;
  subscribed_ms: string | null;
  used_ms: string;
  cash_paid: string;
  coupon_id: string | null;
  coupon_deduction: string;
  fee_rate_bp: number;
  fee_band_months: number | null;
  handling_fee: string;
  amount_due: string;
  cash_refund: string;
  coupon_return: string;
  explanation: string[];
  reason: string | null;
  created_by: string;
  created_at: Date;
  paid_at: Date;
}
