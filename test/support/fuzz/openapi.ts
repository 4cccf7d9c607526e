/**
 * The server's own OpenAPI 3.1 document, read as the fuzz needs it: every operation with its path,
 * query and header parameters and its JSON body schema, `$ref`s resolved.
 */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  example?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string; // upper case
  path: string; // the document's template: /v1/orders/{id}
  params: Param[];
  body?: Schema; // the JSON body, when the operation takes one
  public: boolean; // reached without authentication
}

interface RawOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** A schema with its `$ref`s (and `allOf`s, merged into one object schema) replaced by what they name. */
export function resolve(doc: OpenApiDoc, s: Schema, depth = 0): Schema {
  if (depth > 20) throw new Error('schema nests too deep');
  if (s.$ref) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    return resolve(doc, target, depth + 1);
  }
  const r = (x: Schema) => resolve(doc, x, depth + 1);
  if (s.allOf) {
    const parts = s.allOf.map(r);
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: parts.flatMap((p) => p.required ?? []),
      additionalProperties: false,
    };
  }
  return {
    ...s,
    items: s.items && r(s.items),
    properties: s.properties && Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, r(v)])),
    anyOf: s.anyOf?.map(r),
    oneOf: s.oneOf?.map(r),
  };
}

export function operations(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      const body = raw.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (raw.parameters ?? []).map((p) => ({ name: p.name, in: p.in as Param['in'], required: p.required ?? false, schema: resolve(doc, p.schema ?? {}) })),
        body: body && resolve(doc, body),
        public: Array.isArray(raw.security) && raw.security.length === 0,
      });
    }
  }
  return ops;
}

export const opName = (op: Pick<Operation, 'method' | 'path'>) => `${op.method} ${op.path}`;
