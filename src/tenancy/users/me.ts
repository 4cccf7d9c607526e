import { z } from '../../shared/zod';
import type { Ctx } from '../../auth/context';
import { Id } from '../../shared/schemas';
import { getUser } from './user-admin';
import { RoleSchema, UserJson } from './user.schema';

export const MeJson = z
  .object({
    user: UserJson,
    scope: z.object({
      role: RoleSchema,
      tenantId: Id.nullable(),
      partnerId: Id.nullable(),
      partnerTier: z.number().int().nullable(),
      accountId: Id.nullable(),
      bdPartnerIds: z.array(Id),
    }),
  })
  .openapi('Me');

/** Who is calling and their scope: GET /v1/me, and the user of a web session. */
export async function describeMe(ctx: Ctx): Promise<z.infer<typeof MeJson>> {
  return {
    user: await getUser(ctx, ctx.actor.userId),
    scope: {
      role: ctx.actor.role,
      tenantId: ctx.actor.tenantId,
      partnerId: ctx.actor.partnerId,
      partnerTier: ctx.actor.partnerTier,
      accountId: ctx.actor.accountId,
      bdPartnerIds: [...ctx.actor.bdTenantIds],
    },
  };
}
