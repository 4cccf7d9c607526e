import { z } from '../shared/zod';
import { Id, PageQuery, page } from '../shared/schemas';
import { CODE_DIGITS, normalizeCode } from './activation-code';

export const ActivateBody = z
  .strictObject({
    code: z
      .string()
      .max(40)
      .transform(normalizeCode)
      .pipe(z.string().regex(new RegExp(`^\\d{${CODE_DIGITS}}$`), `${CODE_DIGITS} digits (spaces and dashes are ignored)`))
      .openapi({ type: 'string', example: '1234-5678-9012-3452', description: `The ${CODE_DIGITS}-digit activation code; spaces and dashes are ignored` }),
  })
  .openapi('ActivateCode');

export const BATCH_STATES = ['pending', 'activated', 'expired'] as const;
export const BatchQuery = z.strictObject({ ...PageQuery, state: z.enum(BATCH_STATES).optional() });

export const BatchItemJson = z
  .object({
    couponId: Id,
    state: z.enum(BATCH_STATES).describe('pending: not activated yet; activated: bound to an account; expired: its window ended unactivated'),
    couponStatus: z.string(),
    accountId: Id.nullable().describe('The account that activated it'),
    accountName: z.string().nullable(),
    activatedAt: z.string().nullable(),
    faceValue: z.string(),
    balance: z.string(),
    validUntil: z.string(),
  })
  .openapi('ActivationCodeBatchItem');
export const BatchPage = page(BatchItemJson).openapi('ActivationCodeBatchPage');
