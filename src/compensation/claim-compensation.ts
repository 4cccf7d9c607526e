import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { AppError, notFound } from '../shared/errors';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { first } from '../db/rows';
import { recordAudit } from '../audit/record-audit';
import { Account } from '../tenancy/accounts/account.entity';
import { decideClaim } from './compensation-rules';
import { Fault } from './fault.entity';
import { CompensationClaim } from './compensation-claim.entity';
import { costBasis } from './cost-basis';
import { grantCompensationCoupon } from './grant-coupon';
import { claimJson, termsJson } from './claim-json';
import type { ClaimBody } from './compensation.schema';

/** The fault, if it affected this account; otherwise 404, the same as a fault that does not exist. */
async function faultAffecting(em: EntityManager, faultId: string, a: Account): Promise<Fault> {
  const fault = await em
    .getRepository(Fault)
    .createQueryBuilder('f')
    .where('f.id = :faultId', { faultId })
    .andWhere('EXISTS (SELECT 1 FROM fault_accounts fa WHERE fa.tenant_id = :t AND fa.fault_id = f.id AND fa.account_id = :a)', { t: a.tenantId, a: a.id })
    .getOne();
  if (!fault) throw notFound('fault');
  return fault;
}

/**
 * R33: an affected account (its owner or finance user, or its partner's admin or operator) claims
 * compensation for a fault. One transaction: the claim is decided by the pure rules on the
 * account's bills and the database clock, then stored granted (with its vendor-borne coupon, ledger
 * and audit rows) or refused (with the reason), so the answer is stable. One claim per account and
 * fault: the claim's unique key decides between concurrent claims; the loser's coupon rolls back
 * with it, and the answer is 409 naming the claim that stands.
 */
export async function claimCompensation(ctx: Ctx, faultId: string, body: z.output<typeof ClaimBody>) {
  return inTransaction(ctx.ds, async (em) => {
    const account = await findReadable(ctx, em, Account, 'Account', body.accountId);
    authorize(ctx, 'create', 'CompensationClaim', { tenantId: account.tenantId, accountId: account.id, partnerId: account.partnerId, accountKind: account.kind });
    const fault = await faultAffecting(em, faultId, account);
    if (account.status !== 'active') throw new AppError('account_deactivated', 'the account is deactivated and cannot receive a coupon');

    const { now } = first<{ now: Date }>(await em.query(`SELECT date_trunc('milliseconds', now()) AS now`), 'SELECT now()');
    const basis = await costBasis(em, account.tenantId, account.id, fault.productCode, fault.startsAt);
    const decision = decideClaim({ kind: fault.kind, cause: fault.cause, start: fault.startsAt, end: fault.endsAt }, basis, now);
    const claimId = randomUUID();
    const couponId = decision.granted ? randomUUID() : null;
    if (decision.granted) {
      await grantCompensationCoupon(em, ctx.actor, {
        tenantId: account.tenantId, couponId: couponId!, accountId: account.id, partnerId: account.partnerId, productCode: fault.productCode,
        currency: decision.currency, amount: decision.amount, at: now, faultId: fault.id, claimId,
      });
    }
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO compensation_claims (tenant_id, id, fault_id, account_id, partner_id, status, amount, currency, refusal_code, refusal_reason,
                                        coupon_id, terms, claimed_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (tenant_id, fault_id, account_id) DO NOTHING RETURNING id`,
      [
        account.tenantId, claimId, fault.id, account.id, account.partnerId, decision.granted ? 'granted' : 'refused',
        decision.granted ? decision.amount.toString() : null, decision.granted ? decision.currency : null,
        decision.granted ? null : decision.code, decision.granted ? null : decision.reason, couponId,
        termsJson(decision.terms, fault.startsAt), ctx.actor.userId, now,
      ],
    );
    if (inserted.length === 0) {
      const first = await em.getRepository(CompensationClaim).findOneByOrFail({ tenantId: account.tenantId, faultId: fault.id, accountId: account.id });
      throw new AppError('already_claimed', 'this account has already claimed compensation for this fault', { claim: claimJson(first) });
    }
    await recordAudit(em, ctx.actor, [{
      tenantId: account.tenantId, objectType: 'compensation_claim', objectId: claimId, action: 'claimed',
      to: decision.granted ? 'granted' : 'refused', reason: decision.granted ? `coupon ${couponId}` : `${decision.code}: ${decision.reason}`,
    }]);
    return claimJson(await em.getRepository(CompensationClaim).findOneByOrFail({ tenantId: account.tenantId, id: claimId }));
  });
}
