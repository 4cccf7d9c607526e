import { z } from './zod';
import { INT8_MAX } from './money';

// Shared pieces of the strict request schemas.
export const Id = z.uuid().openapi({ example: '7b0f0f3e-4a4e-4f7e-9a51-1d2b2c3d4e5f' });
export const IdParams = z.strictObject({ id: Id });
export const Name = z.string().trim().min(1).max(200);
export const Email = z.email().max(254);
export const Reason = z.string().trim().min(1).max(1000);
export const Status = z.enum(['active', 'deactivated']);

/**
 * The instants the API accepts: ISO 8601 with an offset, from 1970 to 9999 (UTC). Outside that no
 * coupon, usage record or fault can be, and PostgreSQL refuses some of it (year 0000 does not
 * exist) with an error that must never surface as a 500.
 */
export const MIN_INSTANT = Date.UTC(1970, 0, 1);
export const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const inInstantRange = (s: string) => {
  const ms = Date.parse(s);
  return Number.isFinite(ms) && ms >= MIN_INSTANT && ms <= MAX_INSTANT;
};
/** An instant as the ISO string it was sent as (bounded). */
export const InstantText = z.iso.datetime({ offset: true }).refine(inInstantRange, 'must be between 1970-01-01 and 9999-12-31 (UTC)');
/** An instant as a Date (bounded). */
export const Instant = InstantText.transform((s) => new Date(s));

export const MAX_PAGE_SIZE = 200;
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/).optional(),
};

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Keyset paging of a ledger (entries numbered by a bigint): the last entry id of the previous page. */
export const EntryIdAfter = z
  .string()
  .regex(/^\d{1,19}$/)
  // zod runs a refinement even when the regex failed: BigInt only ever sees digits.
  .refine((s) => !/^\d{1,19}$/.test(s) || BigInt(s) <= INT8_MAX, 'past the largest entry id')
  .optional()
  .describe('The last entry id of the previous page');
