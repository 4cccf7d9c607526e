import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Ctx } from '../auth/context';
import { AppError } from '../shared/errors';
import { csvDownload, type CsvDownload } from '../shared/download';
import { authorize, findReadable } from '../auth/scope';
import { inTransaction } from '../db/tx';
import { first } from '../db/rows';
import { config } from '../config';
import { CouponTemplate } from '../templates/template.entity';
import { IssuanceRequest } from './issuance-request.entity';
import { moveRequest } from './request-state';
import { formatCode, hashCode, newActivationCode } from './activation-code';
import { GENERATE_CODES_SQL } from './generate-codes.sql';

interface Generated {
  codes: { code: string; couponId: string }[];
  faceValue: string;
  currency: string;
  validUntil: string;
}

/**
 * R31: the partner generates the coupons of its approved offline request, in one transaction
 * (coupons, code hashes, audit, the request `issued`), and gets the codes once, as a CSV. The codes
 * are answered after the commit and never stored: a second call is 409, and a download lost on
 * the way cannot be repeated (nothing is activatable without the codes it carried).
 */
export async function generateCodes(ctx: Ctx, requestId: string): Promise<CsvDownload> {
  const batch = await inTransaction(ctx.ds, async (em): Promise<Generated> => {
    const r = await findReadable(ctx, em, IssuanceRequest, 'IssuanceRequest', requestId, { lock: true });
    authorize(ctx, 'create', 'ActivationCode', r);
    if (r.kind !== 'activation_codes') throw new AppError('not_a_code_request', 'this request names accounts: the workers issue its coupons');
    if (r.status === 'issued') throw new AppError('codes_already_generated', 'the codes of this request were generated and shown once; they are not stored and cannot be shown again');
    if (r.status !== 'approved') throw new AppError('invalid_transition', `the request is ${r.status}: codes are generated once it is approved`, { from: r.status, to: 'issued' });
    const t = await em.getRepository(CouponTemplate).findOneByOrFail({ tenantId: r.tenantId, id: r.templateId });
    if (t.validityKind === 'fixed' && t.validUntil! <= new Date()) throw new AppError('validity_ended', 'the template\'s validity window has ended');

    const secret = config().ACTIVATION_CODE_SECRET;
    const codes = await freshCodes(em, r.tenantId, r.totalAccounts, secret);
    const generated = codes.map((code) => ({ code, couponId: randomUUID() }));
    const made = first<{ n: number; valid_until: Date }>(
      await em.query(GENERATE_CODES_SQL, [r.tenantId, r.id, generated.map((g) => g.couponId), codes.map((c) => hashCode(c, secret)), ctx.actor.userId]),
      'generated codes', // count(*) of the inserted coupons: one row
    );
    if (made.n !== codes.length) throw new Error(`generated ${made.n} of ${codes.length} coupons`);
    await moveRequest(em, ctx.actor, r, 'issued', { reason: `${made.n} activation codes generated`, set: { issuedCount: made.n } });
    return {
      codes: generated,
      faceValue: r.faceValue.toString(),
      currency: r.currency,
      validUntil: made.valid_until.toISOString(),
    };
  });
  const rows = batch.codes.map((c) => ({ code: formatCode(c.code), couponId: c.couponId, faceValue: batch.faceValue, currency: batch.currency, validUntil: batch.validUntil }));
  return csvDownload(`activation-codes-${requestId}.csv`, ['code', 'couponId', 'faceValue', 'currency', 'validUntil'], rows, 201);
}

/**
 * `n` distinct new codes, none already used in this tenant (a collision in 10^15 is unlikely, but
 * the unique key would refuse the whole batch: drawn again instead).
 */
async function freshCodes(em: EntityManager, tenantId: string, n: number, secret: string): Promise<string[]> {
  const codes = new Set<string>();
  for (let round = 0; codes.size < n; round++) {
    if (round >= 5) throw new Error('could not draw distinct activation codes');
    const drawn = new Set<string>();
    while (codes.size + drawn.size < n) {
      const c = newActivationCode();
      if (!codes.has(c)) drawn.add(c);
    }
    const taken: { code_hash: Buffer }[] = await em.query(
      `SELECT code_hash FROM activation_codes WHERE tenant_id = $1 AND code_hash = ANY($2::bytea[])`,
      [tenantId, [...drawn].map((c) => hashCode(c, secret))],
    );
    const clash = new Set(taken.map((t) => t.code_hash.toString('hex')));
    for (const c of drawn) if (!clash.has(hashCode(c, secret).toString('hex'))) codes.add(c);
  }
  return [...codes];
}
