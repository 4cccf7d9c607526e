import { z } from '../../shared/zod';
import { Email, Id, Name, PageQuery, Reason, Status, page } from '../../shared/schemas';
import type { Partner } from './partner.entity';

export const NewAdmin = z.strictObject({ email: Email, name: Name });

export const CreatePartnerBody = z
  .strictObject({
    name: Name,
    parentId: Id.optional().describe('A tier-1 partner: the new partner is its tier-2 reseller'),
    bdUserId: Id.optional().describe('The BD assigned to a new tier-1 partner'),
    admin: NewAdmin.describe('The first partner_admin of the new partner'),
  })
  .openapi('CreatePartner');

export const UpdatePartnerBody = z
  .strictObject({ name: Name.optional(), bdUserId: Id.nullable().optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update')
  .openapi('UpdatePartner');

export const DeactivateBody = z.strictObject({ reason: Reason }).openapi('Deactivate');

export const ListPartnersQuery = z.strictObject({
  ...PageQuery,
  tier: z.enum(['1', '2']).transform(Number).optional(),
  status: Status.optional(),
  parentId: Id.optional(),
});

export const PartnerJson = z
  .object({
    id: Id,
    tenantId: Id,
    tier: z.number().int(),
    parentId: Id.nullable(),
    bdUserId: Id.nullable(),
    name: z.string(),
    status: Status,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Partner');
export const PartnerPage = page(PartnerJson).openapi('PartnerPage');

export function partnerJson(p: Partner): z.infer<typeof PartnerJson> {
  return {
    id: p.id,
    tenantId: p.tenantId,
    tier: p.tier,
    parentId: p.parentId,
    bdUserId: p.bdUserId,
    name: p.name,
    status: p.status,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
