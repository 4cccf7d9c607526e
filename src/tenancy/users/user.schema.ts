import { z } from '../../shared/zod';
import { Email, Id, Name, PageQuery, Status, page } from '../../shared/schemas';
import { ROLES, type User } from './user.entity';
import { NewPassword } from '../../auth/sessions/passwords';

export const RoleSchema = z.enum(ROLES);

export const CreateUserBody = z
  .strictObject({
    email: Email,
    name: Name,
    role: RoleSchema,
    partnerId: Id.optional().describe('For partner roles: the partner (defaults to your own)'),
    accountId: Id.optional().describe('For account roles: the account'),
    password: NewPassword.optional().describe('A first password for the web app (12 to 200 characters); the user can change it'),
  })
  .openapi('CreateUser');

export const UpdateUserBody = z
  .strictObject({ name: Name.optional(), role: RoleSchema.optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update')
  .openapi('UpdateUser');

export const ListUsersQuery = z.strictObject({
  ...PageQuery,
  role: RoleSchema.optional(),
  status: Status.optional(),
  partnerId: Id.optional(),
  accountId: Id.optional(),
});

export const UserJson = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    tenantId: Id.nullable(),
    partnerId: Id.nullable(),
    accountId: Id.nullable(),
    status: Status,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');
export const UserPage = page(UserJson).openapi('UserPage');

export function userJson(u: User): z.infer<typeof UserJson> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    tenantId: u.tenantId,
    partnerId: u.partnerId,
    accountId: u.accountId,
    status: u.status,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}
