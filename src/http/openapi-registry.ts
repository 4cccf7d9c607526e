import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from '../shared/zod';


/** Every route registers here as it is defined (http/route.ts), so the document cannot drift. */
export const registry = new OpenAPIRegistry();

export const bearerAuth = registry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
  description: 'API token (`cc_...`), shown once when it is created.',
});

export const sessionCookie = registry.registerComponent('securitySchemes', 'sessionCookie', {
  type: 'apiKey',
  in: 'cookie',
  name: 'cc_session',
  description:
    'Web session of a signed-in person (`POST /v1/session` sets it: HttpOnly, Secure, SameSite=Strict). ' +
    'Used only when no Authorization header is sent. POST, PUT, PATCH and DELETE also need the header ' +
    '`X-CSRF-Token` with the session\'s `csrfToken`, else 403 `csrf_failed`.',
});

export const ErrorBody = registry.register(
  'Error',
  z.object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown().nullable(),
    }),
  }),
);

export function openApiDocument(): object {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'channel-coupons API',
      version: '1',
      description:
        'Coupons for a cloud vendor\'s channel partners. Amounts are strings of integer minor units ' +
        'with an ISO 4217 currency. Errors are `{"error":{"code","message","details"}}`.',
    },
    servers: [{ url: '/' }],
  });
}
