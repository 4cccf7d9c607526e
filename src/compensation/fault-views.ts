import type { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { notFound } from '../shared/errors';
import { listQuery, scopedQuery } from '../auth/scope';
import { paginate, whereEquals } from '../db/pagination';
import { Fault, FaultAccount } from './fault.entity';
import { faultJson } from './fault-json';
import type { ListFaultsQuery } from './compensation.schema';

/**
 * R1, R33: a fault is visible through the affected accounts the actor may read (CASL's `Fault`
 * rules, turned into SQL over fault_accounts): the platform admin sees every fault, a partner or an
 * account only the faults that affected its own accounts, and only those accounts of the fault.
 */
function visibleAffected(ctx: Ctx, em: EntityManager) {
  return scopedQuery(ctx, em, FaultAccount, 'Fault');
}

async function visibleAccountIds(ctx: Ctx, em: EntityManager, faultIds: string[]): Promise<Map<string, string[]>> {
  const rows = faultIds.length
    ? await visibleAffected(ctx, em).andWhere('x.fault_id IN (:...faultIds)', { faultIds }).orderBy('x.account_id').getMany()
    : [];
  const by = new Map<string, string[]>(faultIds.map((id) => [id, []]));
  for (const r of rows) by.get(r.faultId)!.push(r.accountId);
  return by;
}

export async function listFaults(ctx: Ctx, q: z.output<typeof ListFaultsQuery>) {
  const em = ctx.ds.manager;
  const affected = listQuery(ctx, em, FaultAccount, 'Fault').select('x.faultId'); // R3: no Fault rule at all is 403
  whereEquals(affected, { account_id: q.accountId });
  const qb = em.getRepository(Fault).createQueryBuilder('f').where(`f.id IN (${affected.getQuery()})`, affected.getParameters());
  whereEquals(qb, { product_code: q.productCode });
  const page = await paginate(qb, { ...q, direction: 'DESC' });
  const accounts = await visibleAccountIds(ctx, em, page.items.map((f) => f.id));
  return { items: page.items.map((f) => faultJson(f, accounts.get(f.id)!)), nextCursor: page.nextCursor };
}

/** One fault; one that affected none of your accounts answers 404, like one that does not exist. */
export async function getFault(ctx: Ctx, id: string) {
  const em = ctx.ds.manager;
  const accounts = (await visibleAccountIds(ctx, em, [id])).get(id)!;
  const fault = accounts.length ? await em.getRepository(Fault).findOneBy({ id }) : null;
  if (!fault) throw notFound('fault');
  return faultJson(fault, accounts);
}
