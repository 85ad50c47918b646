// An OpenAPI 3.1 document from the routes as Fastify registered them: the route schemas are the document's
// schemas, so an API's document (the Admin API's first) cannot drift from what its routes check.
import type { RouteOptions } from 'fastify';
import { ERRORS } from '../../core/errors.ts';

interface ObjectSchema {
  properties?: Record<string, object>;
  required?: string[];
}

interface RouteSchemaShape {
  params?: ObjectSchema;
  querystring?: ObjectSchema;
  body?: object;
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

/** `/requests/:txid/answer` → `/requests/{txid}/answer`; a trailing `*` → `{*}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');
}

function parameters(schema: ObjectSchema | undefined, where: 'path' | 'query') {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

/** The OpenAPI document of `routes` (HEAD and hidden routes left out), paths starting with `prefix`. */
export function openApiDocument(
  routes: readonly RouteOptions[],
  info: { title: string; version: string; prefix?: string },
): {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, object>>;
} {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    const schema = route.schema as RouteSchemaShape | undefined;
    if (!schema || schema.hide || !route.url.startsWith(info.prefix ?? '')) continue;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    for (const method of methods) {
      const operation: Record<string, unknown> = {
        ...(schema.summary !== undefined && { summary: schema.summary }),
        parameters: [...parameters(schema.params, 'path'), ...parameters(schema.querystring, 'query')],
        ...(schema.body !== undefined && {
          requestBody: { required: true, content: { 'application/json': { schema: schema.body } } },
        }),
        responses: {
          default: {
            description: 'An error: a code of docs/errors.md with words for people.',
            content: { 'application/json': { schema: ERROR_BODY } },
          },
        },
      };
      const path = openApiPath(route.url);
      paths[path] = { ...paths[path], [method.toLowerCase()]: operation };
    }
  }
  return { openapi: '3.1.0', info: { title: info.title, version: info.version }, paths };
}
