/**
 * The one writer of coupon money (R25, R26). Every change of a coupon's balance is built from these
 * SQL blocks, which each money path composes into its own statement (so no path pays an extra
 * round trip): the coupons row changes and its ledger row is appended in the same statement, with
 * the status rule and the audit row that go with the move. No other module writes `coupon_ledger`
 * or updates a coupon's balance or status (test/coupons/ledger-writer.test.ts fails on one that
 * does).
 *
 * The blocks are SQL text over names the caller supplies: a relation (`from`, a CTE or a
 * subquery with its alias) and column expressions of it, or `$n` parameters. They never splice a
 * value: every value travels as a parameter of the caller's statement.
 *
 * - debit: `deduct` (an order or a bill): the balance goes down, never below zero (the update's
 *   condition), and a coupon becomes `used` when spent or, if one-time, once it paid (R14, R21);
 * - credit: `issue` (a new coupon, a voucher, a grant, an activation) and `return` (a refund gives
 *   back, R27);
 * - write-off: `expire`, `revoke`, `reclaim`: what is left leaves the coupon (the sweep, a refund to
 *   a coupon whose window has closed, a voucher reclaimed into its pool, a void, R14, R32, R35); a
 *   coupon that becomes `revoked` also records when and why (`revokedColumns`).
 */

export type LedgerType = 'issue' | 'deduct' | 'return' | 'reclaim' | 'expire' | 'revoke';

export interface LedgerRows {
  type: LedgerType;
  /** Where the rows come from ("c", "ins", "unnest(...) AS d(...)"); none for one row of parameters. */
  from?: string;
  tenant: string;
  coupon: string;
  /** The account that spent or was given (a shared voucher's own row has none: NULL). */
  account: string;
  /** Signed minor units: + adds to the balance, - takes from it. */
  amount: string;
  after: string;
  order?: string;
  bill?: string;
  at?: string;
  /** Keeps the entries of one statement in the order they were taken (ids follow it). */
  orderBy?: string;
}

/** INSERT of ledger rows: the only place they are written. */
export function ledgerRows(r: LedgerRows): string {
  const cols = ['tenant_id', 'coupon_id', 'account_id', 'type', 'amount', 'balance_after'];
  const vals = [r.tenant, r.coupon, r.account, `'${r.type}'`, r.amount, r.after];
  for (const [col, val] of [['order_id', r.order], ['bill_id', r.bill], ['at', r.at]] as const) {
    if (val === undefined) continue;
    cols.push(col);
    vals.push(val);
  }
  // One row of parameters goes as VALUES, whose parameters take the columns' types.
  if (!r.from) return `INSERT INTO coupon_ledger (${cols.join(', ')}) VALUES (${vals.join(', ')})`;
  return `INSERT INTO coupon_ledger (${cols.join(', ')})
  SELECT ${vals.join(', ')} FROM ${r.from}${r.orderBy ? ` ${r.orderBy}` : ''}`;
}

export interface CouponChange {
  /** New balance and status, as expressions over `c` (the coupon row) and `from`. */
  balance: string;
  status: string;
  /** More columns set with them (an activation binds the account). */
  also?: string;
  from?: string;
  /** The condition, over `c`: the tenant and id always, and what the change was computed from. */
  where: string;
  returning: string;
}

/** UPDATE of coupon rows (alias `c`): the only place a balance or a status changes. */
export function couponChange(u: CouponChange): string {
  return `UPDATE coupons c SET balance = ${u.balance}, status = ${u.status}${u.also ? `, ${u.also}` : ''}${u.from ? `
    FROM ${u.from}` : ''}
   WHERE ${u.where}
  RETURNING ${u.returning}`;
}

/**
 * R35: the columns a coupon becoming `revoked` sets with its status (`also` of a couponChange):
 * when (the transaction's time, as its audit row's) and why, an expression (a `$n`). A CHECK keeps
 * them set exactly while the coupon is revoked.
 */
export const revokedColumns = (reason: string) => `revoked_at = now(), revoked_reason = ${reason}`;

/**
 * R14, R21: the status after a debit to `after`: spent (0), or a one-time coupon that paid, is
 * `used`; otherwise it stays as it was. `oneTime` defaults to the coupon row's own usage.
 */
export const statusAfterDebit = (after: string, oneTime = `c.usage = 'one_time'`) => `CASE WHEN ${oneTime} OR ${after} = 0 THEN 'used' ELSE c.status END`;

/** The condition of every debit: the coupon is spendable and holds at least `amount` (R26). */
export const debitable = (amount: string) => `c.status = 'unused' AND c.balance >= ${amount}`;

export interface CouponAudit {
  from: string;
  tenant: string;
  coupon: string;
  action: string;
  fromStatus: string;
  toStatus: string;
  reason: string;
  /** A user's id expression, or none: the system. */
  actorUser?: string;
  where?: string;
}

/** R11: the audit rows of coupons whose status a money move changed, in the same statement. */
export function couponAudit(a: CouponAudit): string {
  return `INSERT INTO audit_events (tenant_id, object_type, object_id, action, from_status, to_status, reason, actor_user_id, actor_kind)
  SELECT ${a.tenant}, 'coupon', ${a.coupon}, '${a.action}', ${a.fromStatus}, ${a.toStatus}, ${a.reason}, ${a.actorUser ?? 'NULL'}, '${a.actorUser ? 'user' : 'system'}'
    FROM ${a.from}${a.where ? ` WHERE ${a.where}` : ''}`;
}
