import { z } from './zod';

// Shared pieces of the strict request schemas.
export const Id = z.uuid().openapi({ example: '7b0f0f3e-4a4e-4f7e-9a51-1d2b2c3d4e5f' });
export const IdParams = z.strictObject({ id: Id });
export const Name = z.string().trim().min(1).max(200);
export const Email = z.email().max(254);
export const Reason = z.string().trim().min(1).max(1000);
export const Status = z.enum(['active', 'deactivated']);

export const MAX_PAGE_SIZE = 200;
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/).optional(),
};

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
