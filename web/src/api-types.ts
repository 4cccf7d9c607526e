// The shapes of the /v1 answers the web app reads, by name. Every one is taken from the types
// generated from the server's OpenAPI document (npm run web:types: src/ -> /openapi.json ->
// generated/api-schema.d.ts), so a change to a zod schema in src/ reaches the pages at typecheck.
// Write no shape by hand here: name the schema, or the part of one, that a page reads.
import type { components } from './generated/api-schema';

type Schemas = components['schemas'];

/** A keyset page of a list route ({items, nextCursor}: AccountPage, CouponPage, OrderPage, ...). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Role = Schemas['User']['role'];
export type User = Schemas['User'];
/** GET /v1/me, and the `user` of a web session. */
export type Me = Schemas['Me'];
/** POST/GET /v1/session. */
export type Session = Schemas['Session'];
export type Partner = Schemas['Partner'];
// The document marks Account nullable (a route answers `AccountJson.nullable()`, and the nullable
// copy took the component's name); a listed or fetched account is never null.
export type Account = NonNullable<Schemas['Account']>;
export type AuditEvent = Schemas['AuditEvent'];
export type Product = Schemas['Product'];

export type Template = Schemas['Template'];
export type IssuanceRequest = Schemas['IssuanceRequest'];
export type RequestStatus = IssuanceRequest['status'];
/** GET /v1/approval-queue items. */
export type QueuedRequest = Schemas['QueuedRequest'];
/** GET /v1/approval-decisions items. */
export type DecidedRequest = Schemas['DecidedRequest'];
/** GET /v1/approval-queue/:id. */
export type ApprovalDetail = Schemas['ApprovalDetail'];
/** GET /v1/issuance-requests/:id/items. */
export type IssuanceItem = Schemas['IssuanceItem'];
/** GET /v1/partners/:id/coupon-deductions. */
export type Deductions = Schemas['CouponDeductions'];
export type DeductionRow = Deductions['items'][number];

export type Coupon = Schemas['Coupon'];
export type CouponStatus = Coupon['status'];
/** POST /v1/coupons/void and /v1/issuance-requests/:id/void (R35). */
export type VoidSummary = Schemas['VoidSummary'];
export type LedgerPage = Schemas['LedgerPage'];
export type LedgerEntry = Schemas['LedgerEntry'];
/** POST /v1/checkout/quote's body (also the order's, with the chosen coupon). */
export type CheckoutBody = Schemas['Checkout'];
export type Scenario = CheckoutBody['scenario'];
export type Quote = Schemas['Quote'];
export type Order = Schemas['Order'];
// Nullable in the document for the same reason as Account (a refund quote's terms may be null);
// a refund's terms never are.
export type RefundTerms = NonNullable<Schemas['RefundTerms']>;
export type RefundQuote = Schemas['RefundQuote'];
export type Refund = Omit<Schemas['Refund'], 'terms'> & { terms: RefundTerms };
export type Bill = Schemas['Bill'];

/** GET /v1/partners/:id/budgets items, GET/PATCH /v1/budgets/:id (R36). */
export type Budget = Schemas['Budget'];
export type BudgetKind = Budget['kind'];
/** GET /v1/budgets/:id/ledger items. */
export type BudgetLedgerEntry = Schemas['BudgetLedgerEntry'];
/** POST /v1/partners/:id/budgets: a grant, or a distributor's allocation to a reseller. */
export type GrantBudgetBody = Schemas['GrantBudget'];
/** PATCH /v1/budgets/:id. */
export type SetBudgetAmountBody = Schemas['SetBudgetAmount'];
// Settlement (R37), liability (R38), a distributor's resellers (R39).
/** GET /v1/settlement-months items: a UTC month, open or closed, and from when it may close. */
export type SettlementMonth = Schemas['SettlementMonths']['items'][number];
/** POST /v1/settlement-months/:month/close. */
export type SettlementMonthClosed = Schemas['SettlementMonthClosed'];
/** GET /v1/partners/:id/settlements items: one month and currency's totals. */
export type SettlementTotals = Schemas['SettlementList']['items'][number];
/** GET /v1/partners/:id/settlements/:month. */
export type Settlement = Schemas['Settlement'];
/** One currency of a month's settlement: totals, lines, opening and closing liability. */
export type CurrencySettlement = Settlement['settlements'][number];
export type SettlementLine = CurrencySettlement['lines'][number];
export type MonthLiability = CurrencySettlement['liability'][number];
/** GET /v1/partners/:id/reseller-totals. */
export type ResellerTotals = Schemas['ResellerTotals'];
export type ResellerTotalsRow = ResellerTotals['items'][number];
export type ResellerOwed = ResellerTotals['settlements'][number];
/** GET /v1/promotion-expense. */
export type PromotionExpense = Schemas['PromotionExpense'];
export type ExpenseRow = PromotionExpense['items'][number];
