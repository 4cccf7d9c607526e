import { randomUUID } from 'node:crypto';
import { ForbiddenError } from '@casl/ability';
import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { inTransaction } from '../db/tx';
import { first } from '../db/rows';
import { recordAudit } from '../audit/record-audit';
import { Fault } from './fault.entity';
import { faultJson } from './fault-json';
import type { RecordFaultBody } from './compensation.schema';

/**
 * R33: a platform admin records a fault that is over: the product, its kind and cause, start and
 * end, and the accounts it affected (any tenant's; each must exist). Faults are facts: never edited.
 */
export async function recordFault(ctx: Ctx, body: z.output<typeof RecordFaultBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('create', 'Fault');
  const accountIds = [...new Set(body.accountIds)].sort();
  return inTransaction(ctx.ds, async (em) => {
    const { now } = first<{ now: Date }>(await em.query(`SELECT now() AS now`), 'SELECT now()');
    if (Date.parse(body.end) > now.getTime()) {
      throw new AppError('validation_failed', 'the fault has not ended yet', [{ field: 'body.end', code: 'in_future', message: 'a fault is recorded once it is over' }]);
    }
    const [product] = await em.query(`SELECT code FROM products WHERE code = $1`, [body.productCode]);
    if (!product) throw new AppError('unknown_product', `no product ${body.productCode} in the catalog`);
    const found: { tenant_id: string; id: string; partner_id: string }[] = await em.query(
      `SELECT tenant_id, id, partner_id FROM accounts WHERE id = ANY($1::uuid[])`,
      [accountIds],
    );
    const known = new Set(found.map((a) => a.id));
    const unknown = accountIds.filter((id) => !known.has(id));
    if (unknown.length) throw new AppError('unknown_accounts', 'some affected accounts do not exist; nothing was recorded', { accountIds: unknown });

    const id = randomUUID();
    await em.query(
      `INSERT INTO faults (id, product_code, kind, cause, starts_at, ends_at, description, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, body.productCode, body.kind, body.cause, body.start, body.end, body.description, ctx.actor.userId],
    );
    await em.query(
      `INSERT INTO fault_accounts (tenant_id, fault_id, account_id, partner_id)
       SELECT t, $1, a, p FROM unnest($2::uuid[], $3::uuid[], $4::uuid[]) x(t, a, p)`,
      [id, found.map((a) => a.tenant_id), found.map((a) => a.id), found.map((a) => a.partner_id)],
    );
    await recordAudit(em, ctx.actor, [{ tenantId: null, objectType: 'fault', objectId: id, action: 'recorded', to: 'recorded', reason: `${body.kind}, cause ${body.cause}` }]);
    return faultJson(await em.getRepository(Fault).findOneByOrFail({ id }), found.map((a) => a.id).sort());
  });
}
