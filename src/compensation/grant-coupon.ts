import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/record-audit';
import { COMPENSATION_VALID_MS } from './compensation-rules';
import { ledgerRows } from '../coupons/ledger.sql';

export interface Grant {
  tenantId: string;
  couponId: string;
  accountId: string;
  partnerId: string; // the account's partner: it sees the coupon like those it issued
  productCode: string;
  currency: string;
  amount: bigint;
  at: Date; // the grant instant: the coupon is valid from it, for 90 x 24 h
  faultId: string;
  claimId: string;
}

/** Every prepaid scenario (R17): compensation pays for the affected product however it is bought. */
const ALL_SCENARIOS = ['purchase', 'renewal', 'upgrade', 'os_change', 'trial_conversion'];

/**
 * R33: the granted compensation becomes a vendor-borne coupon of the account, for the affected
 * product only, prepaid and pay-as-you-go, reusable, no minimum spend, valid 90 x 24 h from the
 * grant; with its `issue` ledger row (balance = sum of ledger, R26) and its audit row, in the
 * claim's transaction. No template or request: `rules` names the fault and the claim instead.
 */
export async function grantCompensationCoupon(em: EntityManager, actor: Actor, g: Grant): Promise<void> {
  const validUntil = new Date(g.at.getTime() + COMPENSATION_VALID_MS);
  const rules = { source: 'fault_compensation', faultId: g.faultId, claimId: g.claimId, validity: { kind: 'relative', days: 90 } };
  await em.query(
    `INSERT INTO coupons (tenant_id, id, account_id, partner_id, origin, currency, face_value, balance, status, cost_bearer, usage,
                          valid_from, valid_until, product_codes, billing_modes, scenarios, min_spend, max_duration_months,
                          allow_promotional, rules, issued_at)
     VALUES ($1, $2, $3, $4, 'compensation', $5, $6, $6, 'unused', 'vendor', 'reusable',
             $7, $8, ARRAY[$9]::text[], '{prepaid,payg}', $10::text[], NULL, NULL, false, $11, $7)`,
    [g.tenantId, g.couponId, g.accountId, g.partnerId, g.currency, g.amount.toString(), g.at, validUntil, g.productCode, ALL_SCENARIOS, rules],
  );
  await em.query(
    ledgerRows({ type: 'issue', tenant: '$1', coupon: '$2', account: '$3', amount: '$4', after: '$4' }),
    [g.tenantId, g.couponId, g.accountId, g.amount.toString()],
  );
  await recordAudit(em, actor, [
    { tenantId: g.tenantId, objectType: 'coupon', objectId: g.couponId, action: 'issued', to: 'unused', reason: `fault compensation (fault ${g.faultId}, claim ${g.claimId})` },
  ]);
}
