import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { authorize, findReadable, listQuery } from '../auth/scope';
import { paginate, whereEquals } from '../db/pagination';
import { Account } from '../tenancy/accounts/account.entity';
import { CompensationClaim } from './compensation-claim.entity';
import { claimJson } from './claim-json';
import type { ClaimsQuery } from './compensation.schema';

/** An account's compensation claims, newest first: its payers and its partner (R1, R3, R33). */
export async function listAccountClaims(ctx: Ctx, accountId: string, q: z.output<typeof ClaimsQuery>) {
  const account = await findReadable(ctx, ctx.ds.manager, Account, 'Account', accountId);
  authorize(ctx, 'read', 'CompensationClaim', { tenantId: account.tenantId, accountId: account.id, partnerId: account.partnerId });
  const qb = listQuery(ctx, ctx.ds.manager, CompensationClaim, 'CompensationClaim');
  whereEquals(qb, { tenant_id: account.tenantId, account_id: account.id, fault_id: q.faultId, status: q.status });
  const page = await paginate(qb, { ...q, direction: 'DESC' });
  return { items: page.items.map(claimJson), nextCursor: page.nextCursor };
}
