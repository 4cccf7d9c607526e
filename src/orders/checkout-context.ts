import type { z } from 'zod';
import type { Ctx } from '../http/context';
import { notFound, unprocessable } from '../http/errors';
import { authorize } from '../auth/scope';
import { scopeSqlPositional } from '../auth/ability-sql';
import { Account } from '../tenancy/accounts/account.entity';
import type { CouponFacts, Payment, ProductFacts } from '../billing/eligibility';
import { couponFactColumns, couponFacts, spendableCouponIds, type CouponRow } from '../coupons/coupon-facts';
import type { Sql } from '../db/prepared';
import type { CheckoutBody } from './order.schema';

export interface PayingAccount {
  tenantId: string;
  id: string;
  partnerId: string;
}

export interface CheckoutContext {
  account: PayingAccount;
  payment: Payment;
  catalog: Map<string, ProductFacts>;
  coupons: CouponFacts[];
}

export interface CouponChoice {
  /** Only coupons still `unused` (a quote without explain, `best`), or every one (explain, a named coupon). */
  onlyUsable: boolean;
  /** Only this coupon. */
  couponId?: string;
  /** Take the coupons' row locks, in id order (inside a transaction). */
  lock: boolean;
}

type Row = CouponRow & { acct_tenant: string; acct_id: string; acct_partner: string; products: ProductFacts[]; overdue: boolean };

/**
 * Everything a quote or a payment needs, in one statement: the account (in the actor's scope, else
 * 404), the catalog entries of the items, whether the account has an overdue bill (R20) and the
 * coupons it may spend (its own and the vouchers shared with it, R32). The actor must also be allowed `action` on an order of that account (else 403).
 * Frozen funds and deposits are not modelled: none is frozen.
 */
export async function checkoutContext(
  ctx: Ctx,
  sql: Sql,
  body: z.output<typeof CheckoutBody>,
  action: 'create' | 'read',
  choice: CouponChoice,
): Promise<CheckoutContext> {
  const accountId = body.accountId ?? ctx.actor.accountId;
  if (!accountId) throw unprocessable('accountId is required', { field: 'body.accountId' });
  const codes = [...new Set(body.items.map((i) => i.productCode))];
  const values: unknown[] = [accountId, codes, choice.couponId ?? null, choice.onlyUsable];
  const scope = scopeSqlPositional(ctx.ability, 'read', 'Account', 'a', ctx.ds.getMetadata(Account), values);
  const rows: Row[] = await sql(
    `SELECT a.tenant_id AS acct_tenant, a.id AS acct_id, a.partner_id AS acct_partner,
            (SELECT coalesce(json_agg(json_build_object('code', p.code, 'excludedFromGeneral', p.excluded_from_general,
                                                        'marketplace', p.marketplace)), '[]'::json)
               FROM products p WHERE p.code = ANY($2::text[])) AS products,
            EXISTS (SELECT 1 FROM bills b WHERE b.tenant_id = a.tenant_id AND b.account_id = a.id AND b.status = 'overdue') AS overdue,
            c.*
       FROM accounts a
       LEFT JOIN LATERAL (
         SELECT ${couponFactColumns(undefined, 'a.id')} FROM coupons
          WHERE tenant_id = a.tenant_id AND id IN ${spendableCouponIds('a.tenant_id', 'a.id')} AND ($3::uuid IS NULL OR id = $3)
            AND (NOT $4::bool OR status = 'unused')
          ORDER BY id ${choice.lock ? 'FOR UPDATE' : ''}
       ) c ON TRUE
      WHERE a.id = $1 AND ${scope}`,
    values,
  );
  if (rows.length === 0) throw notFound('account');
  const first = rows[0];
  const account: PayingAccount = { tenantId: first.acct_tenant, id: first.acct_id, partnerId: first.acct_partner };
  authorize(ctx, action, 'Order', { tenantId: account.tenantId, accountId: account.id, partnerId: account.partnerId });
  const catalog = new Map(first.products.map((p) => [p.code, p]));
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
    accountHasOverdue: first.overdue,
    frozenFunds: false,
  };
  const coupons = rows.filter((r) => r.id !== null).map(couponFacts);
  return { account, payment, catalog, coupons };
}
