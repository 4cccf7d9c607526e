import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { authorize, findReadable, listQuery } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { paginate, whereEquals } from '../db/pagination';
import { Bill } from './bill.entity';
import type { BillJson, ListBillsQuery } from './billing.schema';

export const billJson = (b: Bill): z.infer<typeof BillJson> => ({
  id: b.id, accountId: b.accountId, productCode: b.productCode, currency: b.currency, periodStart: b.periodStart.toISOString(),
  periodEnd: b.periodEnd.toISOString(), amount: b.amount.toString(), couponDeduction: b.couponDeduction.toString(),
  cashDue: b.cashDue.toString(), status: b.status, dueAt: b.dueAt.toISOString(),
});

/** R20: a bill is settled by the platform admin. */
export async function settleBill(ctx: Ctx, id: string) {
  return inTransaction(ctx.ds, async (em) => {
    const b = await findReadable(ctx, em, Bill, 'Bill', id, { lock: true });
    authorize(ctx, 'settle', 'Bill', b);
    if (b.status === 'paid') throw new AppError('already_settled', 'the bill is already settled');
    await em.query(`UPDATE bills SET status = 'paid', settled_at = now(), settled_by = $3 WHERE tenant_id = $1 AND id = $2`, [b.tenantId, id, ctx.actor.userId]);
    return billJson(await em.getRepository(Bill).findOneByOrFail({ tenantId: b.tenantId, id }));
  });
}

/** Pay-as-you-go bills in the actor's scope, newest first. */
export async function listBills(ctx: Ctx, query: z.output<typeof ListBillsQuery>) {
  const qb = whereEquals(listQuery(ctx, ctx.ds.manager, Bill, 'Bill'), { account_id: query.accountId, status: query.status });
  const p = await paginate(qb, { ...query, direction: 'DESC' });
  return { items: p.items.map(billJson), nextCursor: p.nextCursor };
}
