import { z } from '../../shared/zod';
import { Id, Name, PageQuery, Status, page } from '../../shared/schemas';
import { NewAdmin } from '../partners/partner.schema';
import type { Account } from './account.entity';

export const AccountKindSchema = z.enum(['customer', 'reseller']);

export const CreateAccountBody = z
  .strictObject({
    name: Name,
    partnerId: Id.optional().describe('The owning partner (defaults to your own)'),
    owner: NewAdmin.describe('The account_owner user created with the account'),
  })
  .openapi('CreateAccount');

export const UpdateAccountBody = z.strictObject({ name: Name }).openapi('UpdateAccount');

export const ListAccountsQuery = z.strictObject({
  ...PageQuery,
  kind: AccountKindSchema.optional(),
  status: Status.optional(),
  partnerId: Id.optional(),
  q: z.string().trim().min(1).max(100).optional().describe('Name contains (case-insensitive)'),
});

export const AccountJson = z
  .object({
    id: Id,
    tenantId: Id,
    partnerId: Id,
    kind: AccountKindSchema,
    resellerPartnerId: Id.nullable(),
    name: z.string(),
    status: Status,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Account');
export const AccountPage = page(AccountJson).openapi('AccountPage');

export function accountJson(a: Account): z.infer<typeof AccountJson> {
  return {
    id: a.id,
    tenantId: a.tenantId,
    partnerId: a.partnerId,
    kind: a.kind,
    resellerPartnerId: a.resellerPartnerId,
    name: a.name,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
