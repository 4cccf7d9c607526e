import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import type { TokenCtx } from './token-ctx';
import { AppError, notFound } from '../shared/errors';
import { authorize, subjectOf } from '../auth/scope';
import { tokenColumns, tokenLookupCtes, tokenRowOf, touchToken } from '../auth/authenticate';
import { scopeSqlPositional } from '../auth/ability-sql';
import { Account } from '../tenancy/accounts/account.entity';
import type { CouponFacts, Payment, ProductFacts } from '../billing/eligibility';
import { couponFactColumns, couponFacts, spendableCouponIds, type CouponRow } from '../coupons/coupon-facts';
import type { Sql } from '../db/prepared';
import { first } from '../db/rows';
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

type SnapshotRow = CouponRow & { products: ProductFacts[]; overdue: boolean };
type Row = SnapshotRow & { acct_tenant: string; acct_id: string; acct_partner: string };

/** The coupons of account `a` a checkout may spend; $n placeholders for the one coupon and "only unused". */
const spendable = (couponParam: string, onlyUsableParam: string, lock: boolean) => `LEFT JOIN LATERAL (
         SELECT ${couponFactColumns(undefined, 'a.id')} FROM coupons
          WHERE tenant_id = a.tenant_id AND id IN ${spendableCouponIds('a.tenant_id', 'a.id')} AND (${couponParam}::uuid IS NULL OR id = ${couponParam})
            AND (NOT ${onlyUsableParam}::bool OR status = 'unused')
          ORDER BY id ${lock ? 'FOR UPDATE' : ''}
       ) c ON TRUE`;

/** The catalog entries of the items ($n: their codes) and whether account `a` has an overdue bill (R20). */
const catalogAndOverdue = (codesParam: string) => `(SELECT coalesce(json_agg(json_build_object('code', p.code, 'excludedFromGeneral', p.excluded_from_general,
                                                        'marketplace', p.marketplace)), '[]'::json)
               FROM products p WHERE p.code = ANY(${codesParam}::text[])) AS products,
            EXISTS (SELECT 1 FROM bills b WHERE b.tenant_id = a.tenant_id AND b.account_id = a.id AND b.status = 'overdue') AS overdue`;

/**
 * The statement of `checkoutContext`: $1 the account id, $2 the product codes, $3 the one coupon
 * (or null), $4 "only unused", then the values of `scope` (SQL on `a`). Exported for the checkout
 * benchmark's floor server, which runs the same statement with the scope `TRUE`.
 */
export function checkoutSnapshotSql(scope: string, lock: boolean): string {
  return `SELECT a.tenant_id AS acct_tenant, a.id AS acct_id, a.partner_id AS acct_partner,
            ${catalogAndOverdue('$2')},
            c.*
       FROM accounts a
       ${spendable('$3', '$4', lock)}
      WHERE a.id = $1 AND ${scope}`;
}

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
  if (!accountId) throw accountRequired();
  const codes = [...new Set(body.items.map((i) => i.productCode))];
  const values: unknown[] = [accountId, codes, choice.couponId ?? null, choice.onlyUsable];
  const scope = scopeSqlPositional(ctx.ability, 'read', 'Account', 'a', ctx.ds.getMetadata(Account), values);
  const rows: Row[] = await sql(checkoutSnapshotSql(scope, choice.lock), values);
  const [head] = rows;
  if (!head) throw notFound('account');
  return judgeable(ctx, body, action, { tenantId: head.acct_tenant, id: head.acct_id, partnerId: head.acct_partner }, codes, rows);
}

/**
 * The authenticating statement, built once: the Account columns a CASL rule may name come back as
 * `"acct.<property>"` (their list depends on the entity metadata, hence not a module constant).
 */
let authenticating: { sql: string; properties: string[] } | undefined;
function authenticatingStatement(ctx: TokenCtx) {
  if (!authenticating) {
    const cols = ctx.ds.getMetadata(Account).columns;
    authenticating = {
      sql: `WITH ${tokenLookupCtes('$1')}
     SELECT ${tokenColumns('tok.')}, ${cols.map((c) => `a."${c.databaseName}" AS "acct.${c.propertyName}"`).join(', ')},
            ${catalogAndOverdue('$3')},
            c.*
       FROM hit
       LEFT JOIN accounts a ON hit.active AND a.id = coalesce($2::uuid, hit.account_id)
       ${spendable('$4', '$5', false)}`,
      properties: cols.map((c) => c.propertyName),
    };
  }
  return authenticating;
}

/**
 * The same, authenticating in the same statement: the bearer token is looked up (and then touched)
 * as the authenticate middleware would, and the account named in the body (or the caller's own) is
 * read by id with its catalog, overdue flag and coupons. Only then, in memory, the token row
 * becomes the Actor (401 when unknown, revoked or inactive), and CASL decides on the account row:
 * not readable is 404, exactly as the scoped statement above; `action` on its orders, else 403.
 * One round trip instead of two (a second, once a minute, moves the token's last_used_at: the only
 * write). Never locks.
 */
export async function authenticatedCheckoutContext(
  tctx: TokenCtx,
  sql: Sql,
  body: z.output<typeof CheckoutBody>,
  action: 'create' | 'read',
  choice: Omit<CouponChoice, 'lock'>,
): Promise<{ ctx: Ctx; checkout: CheckoutContext }> {
  const codes = [...new Set(body.items.map((i) => i.productCode))];
  const statement = authenticatingStatement(tctx);
  const rows: (SnapshotRow & Record<string, unknown>)[] = await sql(statement.sql, [
    tctx.tokenHash, body.accountId ?? null, codes, choice.couponId ?? null, choice.onlyUsable,
  ]);
  const token = tokenRowOf(rows[0], 'tok.');
  await touchToken(sql, token);
  const ctx = tctx.authenticated(token);
  if (!body.accountId && !ctx.actor.accountId) throw accountRequired();
  const head = first(rows, 'checkout snapshot'); // authenticated: the token's row is there
  if (head['acct.id'] === null) throw notFound('account');
  const account = Object.fromEntries(statement.properties.map((p) => [p, head[`acct.${p}`]]));
  if (!ctx.ability.can('read', subjectOf('Account', account))) throw notFound('account');
  const paying = { tenantId: head['acct.tenantId'] as string, id: head['acct.id'] as string, partnerId: head['acct.partnerId'] as string };
  return { ctx, checkout: judgeable(ctx, body, action, paying, codes, rows) };
}

const accountRequired = () => new AppError('field_required', 'accountId is required', { field: 'body.accountId' });

/** From the statement's rows: 403 unless `action` on the account's orders, 422 for unknown products, the facts to judge. */
function judgeable(
  ctx: Ctx,
  body: z.output<typeof CheckoutBody>,
  action: 'create' | 'read',
  account: PayingAccount,
  codes: string[],
  rows: SnapshotRow[],
): CheckoutContext {
  const head = first(rows, 'checkout snapshot'); // both callers refuse an empty answer first
  authorize(ctx, action, 'Order', { tenantId: account.tenantId, accountId: account.id, partnerId: account.partnerId });
  const catalog = new Map(head.products.map((p) => [p.code, p]));
  const unknown = codes.filter((c) => !catalog.has(c));
  if (unknown.length) throw new AppError('unknown_product', 'unknown product codes', { field: 'body.items', codes: unknown });
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
    accountHasOverdue: head.overdue,
    frozenFunds: false,
  };
  const coupons = rows.filter((r) => r.id !== null).map(couponFacts);
  return { account, payment, catalog, coupons };
}
