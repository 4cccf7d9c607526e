import { z } from '../../shared/zod';
import { Id, Name, PageQuery, page } from '../../shared/schemas';
import type { ApiToken } from './api-token.entity';

export const CreateTokenBody = z.strictObject({ name: Name }).openapi('CreateToken');
export const ListTokensQuery = z.strictObject({ ...PageQuery });

export const TokenJson = z
  .object({
    id: Id,
    userId: Id,
    name: z.string(),
    prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiToken');
export const CreatedTokenJson = TokenJson.extend({
  token: z.string().describe('The secret. Shown this once; only its hash is stored.'),
}).openapi('CreatedApiToken');
export const TokenPage = page(TokenJson).openapi('ApiTokenPage');

export function tokenJson(t: ApiToken): z.infer<typeof TokenJson> {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
