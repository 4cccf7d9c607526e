import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Ctx } from '../http/context';
import { unprocessable } from '../http/errors';
import { authorize, findReadable } from '../auth/scope';
import { Account } from '../tenancy/accounts/account.entity';
import type { CouponFacts, Payment, ProductFacts } from '../billing/eligibility';
import { couponFactColumns, couponFacts, type CouponRow } from '../coupons/coupon-facts';
import type { CheckoutBody } from './order.schema';

export interface CheckoutContext {
  account: Account;
  payment: Payment;
  catalog: Map<string, ProductFacts>;
}

/**
 * The account (in scope, and the actor may pay for it), the payment as the pure rules see it, and
 * the catalog entries of its items. Frozen funds and deposits are not modelled: none is frozen.
 */
export async function checkoutContext(ctx: Ctx, em: EntityManager, body: z.output<typeof CheckoutBody>, action: 'create' | 'read'): Promise<CheckoutContext> {
  const accountId = body.accountId ?? ctx.actor.accountId;
  if (!accountId) throw unprocessable('accountId is required', { field: 'body.accountId' });
  const account = await findReadable(ctx, em, Account, 'Account', accountId);
  authorize(ctx, action, 'Order', { tenantId: account.tenantId, accountId: account.id, partnerId: account.partnerId });
  const codes = [...new Set(body.items.map((i) => i.productCode))];
  // The catalog entries, and (R20) whether the account has an overdue bill, in one round trip.
  const rows: { code: string; excluded_from_general: boolean; marketplace: boolean; overdue: boolean }[] = await em.query(
    `SELECT code, excluded_from_general, marketplace,
            EXISTS (SELECT 1 FROM bills WHERE tenant_id = $2 AND account_id = $3 AND status = 'overdue') AS overdue
       FROM products WHERE code = ANY($1::text[])`,
    [codes, account.tenantId, account.id],
  );
  const catalog = new Map(rows.map((p) => [p.code, { code: p.code, excludedFromGeneral: p.excluded_from_general, marketplace: p.marketplace }]));
  const unknown = codes.filter((c) => !catalog.has(c));
  if (unknown.length) throw unprocessable('unknown product codes', { field: 'body.items', codes: unknown });
  const payment: Payment = {
    accountId: account.id,
    currency: body.currency,
    at: new Date(),
    mode: 'prepaid',
    scenario: body.scenario,
    items: body.items.map((i) => ({ productCode: i.productCode, amount: i.amount, durationMonths: i.durationMonths })),
    promotional: body.promotional,
    paidOnBehalf: body.paidOnBehalf,
    billOverdue: false,
    accountHasOverdue: rows[0]?.overdue ?? false,
    frozenFunds: false,
  };
  return { account, payment, catalog };
}

/** The account's coupons; `lock` takes their row locks in id order (one order for everyone). */
export async function accountCoupons(
  em: EntityManager,
  account: Account,
  opts: { onlyUsable: boolean; lock: boolean; couponId?: string },
): Promise<CouponFacts[]> {
  const rows: CouponRow[] = await em.query(
    `SELECT ${couponFactColumns()} FROM coupons
      WHERE tenant_id = $1 AND account_id = $2 AND ($3::uuid IS NULL OR id = $3)
        ${opts.onlyUsable ? `AND status = 'unused'` : ''}
      ORDER BY id ${opts.lock ? 'FOR UPDATE' : ''}`,
    [account.tenantId, account.id, opts.couponId ?? null],
  );
  return rows.map(couponFacts);
}
