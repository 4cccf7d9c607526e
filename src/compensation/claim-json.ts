import type { z } from '../shared/zod';
import { costBasisWindow, type ClaimTerms } from './compensation-rules';
import type { CompensationClaim } from './compensation-claim.entity';
import type { ClaimJson } from './compensation.schema';

/** The terms a claim was decided on, as stored (jsonb) and shown: money as strings, instants in ISO. */
export function termsJson(t: ClaimTerms, faultStart: Date): Record<string, unknown> {
  const window = costBasisWindow(faultStart);
  return {
    kind: t.kind,
    cause: t.cause,
    multiple: t.multiple.toString(),
    faultMinutes: t.faultMinutes.toString(),
    claimedAt: t.claimedAt.toISOString(),
    claimWindowEndsAt: t.claimWindowEndsAt.toISOString(),
    costBasis: {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      currency: t.basis?.currency ?? null,
      billedTotal: (t.basis?.billedTotal ?? 0n).toString(),
      billedDays: t.basis?.billedDays ?? 0,
    },
    formula: 'round_half_up(billedTotal / billedDays / 24 / 60 x faultMinutes x multiple)',
  };
}

export function claimJson(c: CompensationClaim): z.infer<typeof ClaimJson> {
  return {
    id: c.id,
    faultId: c.faultId,
    accountId: c.accountId,
    status: c.status,
    amount: c.amount?.toString() ?? null,
    currency: c.currency,
    refusal: c.refusalCode === null ? null : { code: c.refusalCode, reason: c.refusalReason ?? '' },
    couponId: c.couponId,
    terms: c.terms,
    claimedBy: c.claimedBy,
    createdAt: c.createdAt.toISOString(),
  };
}
