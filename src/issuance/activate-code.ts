import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction, pgCode, updateReturning } from '../db/tx';
import { first } from '../db/rows';
import { recordAudit } from '../audit/record-audit';
import { config } from '../config';
import { Account } from '../tenancy/accounts/account.entity';
import { Coupon } from '../coupons/coupon.entity';
import { couponJson } from '../coupons/coupon-json';
import { couponChange, ledgerRows } from '../coupons/ledger.sql';
import { hasValidCheckDigit, hashCode } from './activation-code';
import type { AttemptLimits } from './attempt-limits';

interface CodeRow {
  id: string;
  status: Coupon['status'];
  account_id: string | null;
  valid_until: Date;
  cost_bearer: 'vendor' | 'partner';
  template_id: string;
  request_id: string;
  issue_limit: 'once' | 'unlimited';
}

const NOT_FOUND = 'code_not_found' as const;

/**
 * R31: an account's owner or finance user activates an offline code, once. In order: the check
 * digit (a typo is 422 before anything is looked up, and costs no attempt); the account and the
 * role (R1, R3); one attempt from the account's and the address's limits (429 when over, whatever
 * the code); then the code, among the coupons of the account's own partner (another partner's
 * code reads as unknown). Only an unknown code keeps its attempt: a wrong guess.
 */
export async function activateCode(ctx: Ctx, limits: AttemptLimits, accountId: string, code: string, address: string | undefined) {
  if (!hasValidCheckDigit(code)) {
    throw new AppError('code_mistyped', 'the code\'s check digit does not match: a digit is mistyped or two are swapped; nothing was looked up');
  }
  const account = await findReadable(ctx, ctx.ds.manager, Account, 'Account', accountId);
  authorize(ctx, 'activate', 'Coupon', { tenantId: account.tenantId, accountId: account.id });
  if (account.status !== 'active') throw new AppError('account_deactivated', 'the account is deactivated');
  const attempt = await limits.take(account.id, address);
  let wrongGuess = false;
  try {
    return await inTransaction(ctx.ds, (em) => activate(ctx, em, account, code));
  } catch (err) {
    wrongGuess = err instanceof AppError && err.code === NOT_FOUND;
    throw err;
  } finally {
    if (!wrongGuess) await attempt.giveBack();
  }
}

async function activate(ctx: Ctx, em: EntityManager, account: Account, code: string) {
  const [c]: CodeRow[] = await em.query(
    `SELECT c.id, c.status, c.account_id, c.valid_until, c.cost_bearer, c.template_id, c.request_id, t.issue_limit
       FROM activation_codes ac
       JOIN coupons c ON c.tenant_id = ac.tenant_id AND c.id = ac.coupon_id
       JOIN coupon_templates t ON t.tenant_id = c.tenant_id AND t.id = c.template_id
      WHERE ac.tenant_id = $1 AND ac.code_hash = $2 AND c.partner_id = $3`,
    [account.tenantId, hashCode(code, config().ACTIVATION_CODE_SECRET), account.partnerId],
  );
  if (!c) throw new AppError(NOT_FOUND, 'no such activation code for this account\'s partner');
  assertActivatable(c);
  // R6 through the one policy: a vendor-borne coupon never reaches a tier-2 reseller's account.
  authorize(ctx, 'activate', 'Coupon', { tenantId: account.tenantId, accountId: account.id, costBearer: c.cost_bearer, accountKind: account.kind });
  if (c.issue_limit === 'once') await claimOnce(em, account, c);

  let won: { face_value: string }[];
  try {
    // Conditional: of two accounts activating at the same moment, the second finds the coupon no
    // longer pending (READ COMMITTED re-checks the row once the first commits) and updates nothing.
    won = await updateReturning(em,
      couponChange({
        balance: 'c.face_value', status: "'unused'", also: 'account_id = $3',
        where: "c.tenant_id = $1 AND c.id = $2 AND c.status = 'pending_activation' AND c.valid_until > now()",
        returning: 'c.face_value::text AS face_value',
      }),
      [account.tenantId, c.id, account.id],
    );
  } catch (err) {
    // Coupons are unique per (request, account): one code of a batch per account.
    if (pgCode(err) === '23505') throw new AppError('batch_already_activated', 'this account has already activated a code of this batch');
    throw err;
  }
  const [issued] = won;
  if (!issued) {
    // The coupon was found above, in this transaction, and coupons are never deleted.
    const now = first<CodeRow>(
      await em.query(`SELECT status, account_id, valid_until FROM coupons WHERE tenant_id = $1 AND id = $2`, [account.tenantId, c.id]),
      'the code\'s coupon',
    );
    assertActivatable(now);
    throw usedError();
  }
  await em.query(
    ledgerRows({ type: 'issue', tenant: '$1', coupon: '$2', account: '$3', amount: '$4', after: '$4' }),
    [account.tenantId, c.id, account.id, issued.face_value],
  );
  await em.query(
    `UPDATE activation_codes SET activated_at = now(), activated_by = $3 WHERE tenant_id = $1 AND coupon_id = $2`,
    [account.tenantId, c.id, ctx.actor.userId],
  );
  await recordAudit(em, ctx.actor, [{
    tenantId: account.tenantId, objectType: 'coupon', objectId: c.id, action: 'activated', from: 'pending_activation', to: 'unused',
    reason: `activation code, account ${account.id}`,
  }]);
  return couponJson(await em.getRepository(Coupon).findOneByOrFail({ tenantId: account.tenantId, id: c.id }));
}

const usedError = () => new AppError('code_already_used', 'this code has already been activated');

/** Each reason a known code cannot be activated has its own error (R31). */
function assertActivatable(c: Pick<CodeRow, 'status' | 'account_id' | 'valid_until'>): void {
  if (c.account_id !== null) throw usedError();
  if (c.status === 'revoked') throw new AppError('code_revoked', 'this code was revoked');
  if (c.status === 'expired' || c.valid_until <= new Date()) throw new AppError('code_expired', 'this code\'s validity window has ended');
  if (c.status !== 'pending_activation') throw usedError();
}

/** R7 applies to codes too: a `once` template reaches an account at most once, however it comes. */
async function claimOnce(em: EntityManager, account: Account, c: CodeRow): Promise<void> {
  const claimed = await em.query(
    `INSERT INTO template_account_claims (tenant_id, template_id, account_id, request_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING account_id`,
    [account.tenantId, c.template_id, account.id, c.request_id],
  );
  if (claimed.length === 0) {
    throw new AppError('issue_limit_reached', 'this template is limited to once per account, and this account already has it', { accountIds: [account.id] });
  }
}
