// OpenAPI 3.1 documents from the schemas routes are checked with, so a document cannot drift from its routes: one
// builder for every API — the JSON fronts' routes as Fastify registered them (openApiDocument), and the Admin API's
// route table (admin-api/openapi.ts), which adds Duo's envelope, grants and signature.
import type { RouteOptions } from 'fastify';
import { ERRORS } from '../../core/errors.ts';

/** A JSON Schema object with named properties (a route's path, query or body schema). */
export interface ObjectSchema {
  properties?: Record<string, object>;
  required?: string[];
}

/** One operation of a document, in OpenAPI form. */
export interface OpenApiOperation {
  method: string;
  /** `/v1/users/{user_id}` (Fastify's `:user_id` is converted by openApiPath). */
  path: string;
  summary?: string;
  operationId?: string;
  pathParams?: ObjectSchema;
  query?: ObjectSchema;
  body?: { schema: ObjectSchema; mediaTypes: readonly string[] };
  responses: Record<string, object>;
  /** Anything else the operation carries (`security`, `x-…` extensions). */
  extra?: Record<string, unknown>;
}

/** Plain JSON Schema: TypeBox's symbols dropped, as JSON.stringify would. */
const plain = <T extends object>(schema: T): T => JSON.parse(JSON.stringify(schema)) as T;

/** Names a client must send: required and without a default (a default fills in what is not sent). */
export function requiredNames(schema: ObjectSchema | undefined): string[] {
  return (schema?.required ?? []).filter(
    (name) => (schema?.properties?.[name] as { default?: unknown } | undefined)?.default === undefined,
  );
}

/** `/requests/:txid/answer` → `/requests/{txid}/answer`; a trailing `*` → `{*}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');
}

/** The parameters of one location; a list is sent repeated (`users=a&users=b`), as Duo's clients do. */
function parameters(schema: ObjectSchema | undefined, where: 'path' | 'query') {
  const needed = requiredNames(schema);
  return Object.entries(schema?.properties ?? {}).map(([name, raw]) => {
    const property = raw as { type?: string; description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || needed.includes(name),
      ...(property.description !== undefined && { description: property.description }),
      schema: plain(property),
      ...(property.type === 'array' && { style: 'form', explode: true }),
    };
  });
}

/** The `paths` object of `operations` (several methods of one path share its entry). */
export function openApiPaths(
  operations: readonly OpenApiOperation[],
): Record<string, Record<string, object>> {
  const paths: Record<string, Record<string, object>> = {};
  for (const op of operations) {
    const body = op.body && { ...plain(op.body.schema), required: requiredNames(op.body.schema) };
    const operation = {
      ...(op.operationId !== undefined && { operationId: op.operationId }),
      ...(op.summary !== undefined && { summary: op.summary }),
      ...op.extra,
      parameters: [...parameters(op.pathParams, 'path'), ...parameters(op.query, 'query')],
      ...(body && {
        requestBody: {
          required: body.required.length > 0,
          content: Object.fromEntries(op.body!.mediaTypes.map((type) => [type, { schema: body }])),
        },
      }),
      responses: op.responses,
    };
    const path = openApiPath(op.path);
    paths[path] = { ...paths[path], [op.method.toLowerCase()]: operation };
  }
  return paths;
}

interface RouteSchemaShape {
  params?: ObjectSchema;
  querystring?: ObjectSchema;
  body?: ObjectSchema;
  summary?: string;
  hide?: boolean;
}

/** The error body every JSON front answers with (docs/errors.md). */
const ERROR_BODY = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', enum: Object.keys(ERRORS), description: 'A code of docs/errors.md.' },
    message: { type: 'string', description: 'Words for people.' },
  },
};

/** The OpenAPI document of `routes` (HEAD and hidden routes left out), paths starting with `prefix`. */
export function openApiDocument(
  routes: readonly RouteOptions[],
  info: { title: string; version: string; prefix?: string },
): {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, object>>;
} {
  const operations: OpenApiOperation[] = [];
  for (const route of routes) {
    const schema = route.schema as RouteSchemaShape | undefined;
    if (!schema || schema.hide || !route.url.startsWith(info.prefix ?? '')) continue;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    for (const method of methods) {
      operations.push({
        method,
        path: route.url,
        ...(schema.summary !== undefined && { summary: schema.summary }),
        ...(schema.params && { pathParams: schema.params }),
        ...(schema.querystring && { query: schema.querystring }),
        ...(schema.body !== undefined && { body: { schema: schema.body, mediaTypes: ['application/json'] } }),
        responses: {
          default: {
            description: 'An error: a code of docs/errors.md with words for people.',
            content: { 'application/json': { schema: ERROR_BODY } },
          },
        },
      });
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    paths: openApiPaths(operations),
  };
}
