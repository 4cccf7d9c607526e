import { z } from '../../shared/zod';
import { Email } from '../../shared/schemas';
import { MeJson } from '../../tenancy/users/me';
import { GivenPassword, NewPassword } from './passwords';

export const SignInBody = z.strictObject({ email: Email, password: GivenPassword }).openapi('SignIn');


export const SessionJson = z
  .object({
    user: MeJson.describe('The same as GET /v1/me'),
    csrfToken: z.string().describe('Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE signed by this session'),
  })
  .openapi('Session');

export const ChangePasswordBody = z
  .strictObject({
    currentPassword: GivenPassword.optional().describe('Required once a password is set'),
    newPassword: NewPassword.describe('12 to 200 characters'),
  })
  .openapi('ChangePassword');
