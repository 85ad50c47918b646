// The Admin API's OpenAPI 3.1 document, generated from the very schemas that check each call's parameters, by the
// builder every API shares (web-common/openapi.ts) with Duo's envelope, grants and signature added.
import type { TSchema } from '@sinclair/typebox';
import { type OpenApiOperation, openApiPaths } from '../web-common/openapi.ts';
import type { AdminRoute } from './route.ts';

/** Plain JSON Schema: TypeBox's symbols dropped, as JSON.stringify would. */
const plain = (schema: TSchema): Record<string, unknown> => JSON.parse(JSON.stringify(schema));

const FAILURE = {
  description:
    "Duo's failure envelope: 40001/40002 (parameters), 40101–40105 (signature), 40301 (grant), 40401.",
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['stat', 'code', 'message'],
        properties: {
          stat: { const: 'FAIL' },
          code: { type: 'integer' },
          message: { type: 'string' },
          message_detail: { type: 'string' },
        },
      },
    },
  },
};

function success(route: AdminRoute) {
  const properties: Record<string, unknown> = { stat: { const: 'OK' }, response: plain(route.response) };
  if (route.paged) {
    properties.metadata = {
      type: 'object',
      required: ['total_objects'],
      properties: {
        total_objects: { type: 'integer' },
        next_offset: { type: 'integer', description: 'Absent on the last page.' },
        prev_offset: { type: 'integer' },
      },
    };
  }
  return {
    description: 'Success',
    content: {
      'application/json': { schema: { type: 'object', required: ['stat', 'response'], properties } },
    },
  };
}

/** The document for `routes` mounted under `prefix` (`/admin`), served at `prefix` + `documentPath`. */
export function openApiDocument(routes: readonly AdminRoute[], prefix: string, documentPath: string) {
  const paths: Record<string, Record<string, unknown>> = {
    [`${prefix}${documentPath}`]: {
      get: {
        operationId: 'getOpenapi',
        summary: 'This document (unsigned: it describes the API and holds no data).',
        security: [],
        parameters: [],
        responses: {
          '200': {
            description: 'OpenAPI 3.1',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['openapi', 'paths'],
                  properties: { openapi: { type: 'string' }, paths: { type: 'object' } },
                },
              },
            },
          },
        },
      },
    },
  };
  const operations = routes.map(
    (route): OpenApiOperation => ({
      method: route.method,
      path: `${prefix}${route.path}`,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/[/_](\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      extra: { 'x-countersign-grant': route.grant, security: [{ duoSignature: [] }] },
      pathParams: route.pathParams,
      // The signed parameters: the query of a GET or DELETE, the body of a POST (a form in signature v2, JSON in v5).
      ...(route.method === 'POST'
        ? {
            body: {
              schema: route.params,
              mediaTypes: ['application/x-www-form-urlencoded', 'application/json'],
            },
          }
        : { query: route.params }),
      responses: { '200': success(route), default: FAILURE },
    }),
  );
  Object.assign(paths, openApiPaths(operations));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Countersign Admin API',
      version: '1',
      description:
        "Duo's Admin API where the resource exists, Countersign's own under /admin/v1/countersign/. " +
        "Every call is signed as Duo signs it (signature v2 to v5) by an admin-api integration that holds the operation's grant (x-countersign-grant).",
    },
    paths,
    components: {
      securitySchemes: {
        duoSignature: {
          type: 'http',
          scheme: 'basic',
          description:
            'Integration key as user name; an HMAC of the request (Date, method, host, path, parameters) as password.',
        },
      },
    },
  };
}
