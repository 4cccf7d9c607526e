// GET /v1/accounts/:id/statement's JSON answer (src/billing/statements.ts). Written by hand, to
// the fields the statement page reads, because the OpenAPI document does not describe it: the route
// declares only its CSV (produces text/csv, response z.unknown()), so there is nothing to generate
// the type from. Every other answer's type comes from the document (../api-types.ts).

export interface StatementLine {
  kind: 'payg' | 'prepaid';
  id: string;
  at: string;
  products: string;
  currency: string;
  amount: string;
  couponDeduction: string;
  coupons: { couponId: string; amount: string }[];
  cashDue: string;
}

export interface Statement {
  accountId: string;
  accountName: string;
  period: 'daily' | 'monthly';
  from: string;
  to: string;
  lines: StatementLine[];
  totals: { currency: string; amount: string; couponDeduction: string; cashDue: string }[];
  refunds: StatementRefund[];
  refundTotals: { currency: string; cashRefund: string; couponReturn: string; handlingFee: string }[];
}

export interface StatementRefund {
  id: string;
  orderId: string;
  at: string;
  rule: 'five_day_full' | 'partial';
  products: string;
  currency: string;
  cashRefund: string;
  couponId: string | null;
  couponReturn: string;
  handlingFee: string;
}
