import type { Request, Response, Router } from 'express';
import type { ZodType } from 'zod';
import { z } from '../shared/zod';
import type { DataSource } from 'typeorm';
import { bearerAuth, ErrorBody, registry, sessionCookie } from './openapi-registry';
import { AppError, validationError } from '../shared/errors';
import { isCsvDownload } from '../shared/download';
import { codesWithStatus, ERROR_CODES, type ErrorCode } from '../shared/error-codes';
import { csvResponse } from './csv';
import type { Ctx } from '../auth/context';

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Out<S> = S extends ZodType ? z.output<S> : undefined;

/** What a handler gets: every input, validated by its schema. */
export type RouteInput<P, Q, B> = { params: Out<P>; query: Out<Q>; body: Out<B>; headers: Record<string, string> };

export interface RouteSpec<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends ZodType | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string; // express style: /v1/partners/:id
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Headers the route requires (validated; other headers pass as usual). */
  headers?: AnyObject;
  response: ZodType;
  status?: 200 | 201 | 202 | 204;
  errors?: number[]; // statuses this route can answer besides 400/401/500
  /**
   * Reached without authentication (signing in): the app mounts it before `authenticate`, and its
   * handler gets no actor or ability in its Ctx and must not use them.
   */
  public?: boolean;
  /** text/csv: the handler may answer a CsvDownload (src/shared/download.ts), which is written here; JSON otherwise. */
  produces?: 'application/json' | 'text/csv';
  handler: (ctx: Ctx, input: RouteInput<P, Q, B>, res: Response) => Promise<unknown>;
}

/**
 * An error answer of `status`: its body names the codes of the catalogue (src/shared/error-codes.ts)
 * that status can carry, each with its meaning, so a client knows what to key on per route.
 */
const errorBodies = new Map<number, ZodType>();
function errorResponse(status: number, description: string) {
  let schema = errorBodies.get(status);
  if (!schema) {
    const codes = codesWithStatus(status);
    schema = codes.length
      ? z.object({
          error: z.object({
            code: z.enum(codes as [ErrorCode, ...ErrorCode[]]).describe(codes.map((c) => `${c}: ${ERROR_CODES[c][1]}`).join('\n')),
            message: z.string(),
            details: z.unknown().nullable(),
          }),
        }).openapi(`Error${status}`)
      : ErrorBody;
    errorBodies.set(status, schema);
  }
  return { description, content: { 'application/json': { schema } } };
}
const ERROR_TEXT: Record<number, string> = {
  403: 'Forbidden: the action is not allowed for this role',
  404: 'Not found, or not yours',
  409: 'Conflict with the current state',
  410: 'Gone: no longer usable',
  413: 'Body too large',
  415: 'The body is not application/json',
  422: 'Unprocessable',
  429: 'Too many attempts: see Retry-After',
  503: 'Unavailable for a moment: retry',
};

/**
 * Text no field of this API can take: a NUL character (PostgreSQL text cannot hold one) or a lone
 * UTF-16 surrogate (not a character at all: it would be stored as U+FFFD without a word).
 */
const LONE_SURROGATE = /\p{Cs}/u; // with the u flag a surrogate pair is one code point, so only a lone half matches
const badText = (s: string): 'nul_character' | 'invalid_unicode' | null => (s.includes('\0') ? 'nul_character' : LONE_SURROGATE.test(s) ? 'invalid_unicode' : null);
const BAD_TEXT = { nul_character: 'text may not contain a NUL character', invalid_unicode: 'text must be well-formed Unicode (no lone surrogates)' };

/**
 * Where such text hides in `value` (a string, or a key or string anywhere inside), or null: it is
 * refused as input, with the field named, before any schema or statement sees it.
 */
function badTextAt(value: unknown, at: string, depth = 0): { at: string; code: keyof typeof BAD_TEXT } | null {
  if (typeof value === 'string') {
    const code = badText(value);
    return code ? { at, code } : null;
  }
  if (typeof value !== 'object' || value === null || depth > 64) return null;
  for (const [k, v] of Object.entries(value)) {
    const here = `${at}.${k}`;
    const code = badText(k);
    if (code) return { at: here, code };
    const found = badTextAt(v, here, depth + 1);
    if (found) return found;
  }
  return null;
}

const isEmptyObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

function parse<S extends ZodType>(schema: S | undefined, value: unknown, where: 'body' | 'query' | 'params' | 'headers'): unknown {
  const bad = badTextAt(value, where);
  if (bad) throw new AppError('validation_failed', `invalid ${where}: ${bad.at}`, [{ field: bad.at, code: bad.code, message: BAD_TEXT[bad.code] }]);
  if (!schema) {
    // A route without a body schema takes no body: anything sent but {} is an unknown field ([] too).
    if (where === 'body' && value !== undefined && !isEmptyObject(value)) {
      const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
      const details = keys.length ? keys.map((k) => ({ field: `body.${k}`, code: 'unknown_field', message: 'unknown field' })) : [{ field: 'body', code: 'unexpected_body', message: 'no body expected' }];
      throw new AppError('validation_failed', 'this route takes no body', details);
    }
    if (where === 'query' && value && Object.keys(value).length > 0) {
      const keys = Object.keys(value);
      throw new AppError('validation_failed', `unknown query parameter: ${keys[0]}`, keys.map((k) => ({ field: `query.${k}`, code: 'unknown_field', message: 'unknown parameter' })));
    }
    return undefined;
  }
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

function pickHeaders(req: Request, schema: AnyObject): Record<string, unknown> {
  return Object.fromEntries(Object.keys(schema.shape).map((h) => [h, req.headers[h]]));
}

/** Every input of a request, validated by the route's strict schemas (400 otherwise). */
export function routeInput<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends ZodType | undefined>(
  spec: Pick<RouteSpec<P, Q, B>, 'params' | 'query' | 'body' | 'headers'>,
  req: Request,
): RouteInput<P, Q, B> {
  return {
    params: parse(spec.params, req.params, 'params'),
    query: parse(spec.query, req.query, 'query'),
    body: parse(spec.body, req.body, 'body'),
    headers: spec.headers ? (parse(spec.headers, pickHeaders(req, spec.headers), 'headers') as Record<string, string>) : {},
  } as RouteInput<P, Q, B>;
}

/** Thin route: validate every input with its strict schema, call the service, serialize. */
export function route<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends ZodType | undefined>(
  router: Router,
  ds: DataSource,
  spec: RouteSpec<P, Q, B>,
): void {
  const status = spec.status ?? 200;
  registry.registerPath({
    method: spec.method,
    path: spec.path.replace(/:(\w+)/g, '{$1}'),
    summary: spec.summary,
    tags: spec.tags,
    security: spec.public ? [] : [{ [bearerAuth.name]: [] }, { [sessionCookie.name]: [] }],
    request: {
      params: spec.params as AnyObject | undefined,
      query: spec.query as AnyObject | undefined,
      headers: spec.headers,
      body: spec.body ? { required: true, content: { 'application/json': { schema: spec.body } } } : undefined,
    },
    responses: {
      [status]:
        status === 204
          ? { description: 'Done; no content' }
          : { description: 'Success', content: { [spec.produces ?? 'application/json']: { schema: spec.response } } },
      400: errorResponse(400, 'Invalid input: unknown field, wrong type or out of range'),
      401: errorResponse(401, spec.public ? 'Credentials refused' : 'Missing, malformed, unknown or revoked token or session'),
      ...Object.fromEntries((spec.errors ?? [403, 404]).map((s) => [s, errorResponse(s, ERROR_TEXT[s] ?? 'Error')])),
      ...(spec.body ? { 415: errorResponse(415, ERROR_TEXT[415]!) } : {}),
    },
  });

  router[spec.method](spec.path, async (req: Request, res: Response) => {
    const input = routeInput(spec, req);
    const ctx: Ctx = { actor: res.locals.actor, ability: res.locals.ability, log: req.log, requestId: String(req.id), ds, session: res.locals.session };
    const result = await spec.handler(ctx, input, res);
    if (isCsvDownload(result)) {
      const csv = csvResponse(res, result.filename, [...result.columns], result.status ?? status);
      for await (const row of result.rows) await csv.write(row);
      await csv.end();
      return;
    }
    if (status === 204) res.status(204).end();
    else res.status(status).json(result);
  });
}
