// The one way a front registers an HTTP route: with TypeBox schemas for its path, query and body, checked by Fastify.
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  HTTPMethods,
  RouteHandlerMethod,
} from 'fastify';
import { type CHECKED_BY_HANDLER, typeboxValidatorCompiler } from './check-schema.ts';

/**
 * What a route takes, as JSON Schema (TypeBox): the same objects an OpenAPI document is generated from. `params`
 * names every `:param` (and `*`) of the URL; `body` is required on POST, PUT and PATCH (`Type.Object({})` when
 * the route takes none); a route that reads the query string declares `querystring`.
 */
export interface RouteSchema {
  params?: TObject;
  querystring?: TObject;
  body?: TSchema;
  summary?: string;
  /** Left out of an API document (pages and files for browsers). */
  hide?: boolean;
}

type Typed<T> = T extends TSchema
  ? T extends { [CHECKED_BY_HANDLER]: true }
    ? unknown
    : Static<T>
  : unknown;

/** The request a handler of a route with schema `S` receives: params, query and body typed by their schemas. */
export type RouteRequest<S extends RouteSchema> = FastifyRequest<{
  Params: Typed<S['params']>;
  Querystring: Typed<S['querystring']>;
  Body: Typed<S['body']>;
}>;

export interface RouteDefinition<S extends RouteSchema> {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  schema: S;
  handler: (request: RouteRequest<S>, reply: FastifyReply) => unknown;
}

const WITH_BODY = new Set<string>(['POST', 'PUT', 'PATCH']);

/** The names of a URL's path parameters: `:flowId` and the `*` wildcard. */
function pathParameters(url: string): string[] {
  const names = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!);
  return url.endsWith('*') ? [...names, '*'] : names;
}

/** Refuses (at start-up) a schema that leaves a path parameter or a body undescribed, or describes absent ones. */
function checkDeclared(route: RouteDefinition<RouteSchema>): void {
  const where = `route ${String(route.method)} ${route.url}`;
  const inUrl = pathParameters(route.url).sort();
  const described = Object.keys(route.schema.params?.properties ?? {}).sort();
  if (inUrl.join() !== described.join() || (inUrl.length === 0 && route.schema.params !== undefined)) {
    throw new Error(`${where}: schema.params must describe exactly [${inUrl.join(', ')}]`);
  }
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const takesBody = methods.some((method) => WITH_BODY.has(method));
  if (takesBody !== (route.schema.body !== undefined)) {
    throw new Error(`${where}: schema.body is ${takesBody ? 'required' : 'only for POST, PUT and PATCH'}`);
  }
}

/** Registers `route` on `fastify`, its schemas checked by TypeBox before the handler runs. */
export function addRoute<S extends RouteSchema>(fastify: FastifyInstance, route: RouteDefinition<S>): void {
  checkDeclared(route as unknown as RouteDefinition<RouteSchema>);
  fastify.route({
    method: route.method,
    url: route.url,
    schema: route.schema as FastifySchema,
    validatorCompiler: typeboxValidatorCompiler,
    handler: route.handler as unknown as RouteHandlerMethod,
  });
}
