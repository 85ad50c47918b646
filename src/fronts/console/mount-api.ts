// The Admin API's route table mounted behind the console session: the same handler for each operation, the
// administrator's role instead of an integration's grants, and the administrator's name in the audit log.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordRefusal } from '../../core/admin/record-refusal.ts';
import { readParams } from '../admin-api/params.ts';
import { fastifyPath, routeSchema } from '../admin-api/plugin.ts';
import type { AdminApiContext, AdminRoute } from '../admin-api/route.ts';
import { ADMIN_ROUTES } from '../admin-api/routes.ts';
import { DuoApiError, sendFail, sendOk, toDuoError } from '../duo-api/envelope.ts';
import type { SessionFlavor } from '../portal/portal-session.ts';
import { addRoute } from '../web-common/add-route.ts';
import { consoleActor, requireConsole } from './console-session.ts';
import { grantsOfRole, type HelpDeskLimits, operationOf, roleRefusal } from './role-access.ts';

export interface ConsoleApiOptions {
  context: AdminApiContext;
  flavor: SessionFlavor;
  /** The public origin state changes must come from. */
  origin: () => string;
  limits: HelpDeskLimits;
}

/** A parsed query or JSON body as the name/value pairs readParams takes (a list repeats its name). */
export function pairsOf(input: unknown): Array<[string, string]> {
  if (input === null || typeof input !== 'object') return [];
  const pairs: Array<[string, string]> = [];
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) pairs.push([name, text(item)]);
    else pairs.push([name, text(value)]);
  }
  return pairs;
}

/** Duo's 403 for a call the administrator's role does not allow. */
const forbidden = (why: string) => new DuoApiError(403, 40301, 'Access forbidden', why);

/** Registers every Admin API route on `fastify` (mounted at `/admin/console/api`). */
export function mountConsoleApi(fastify: FastifyInstance, options: ConsoleApiOptions): void {
  const { context, flavor, limits } = options;
  const { deps } = context;
  fastify.setErrorHandler((error, request, reply) => {
    const duoError = toDuoError(error);
    if (duoError.httpStatus >= 500) request.log.error({ err: error }, 'console api failure');
    return sendFail(reply, duoError);
  });
  fastify.setNotFoundHandler((_request, reply) =>
    sendFail(reply, new DuoApiError(404, 40401, 'Resource not found')),
  );

  const run = async (route: AdminRoute, request: FastifyRequest) => {
    const { user, admin } = await requireConsole(deps, request, flavor, options.origin());
    const actor = consoleActor(user);
    const refuse = async (why: string) => {
      // SECURITY.md: a refused administrative call is logged with who tried what.
      await recordRefusal(deps, actor, { call: operationOf(route), needs: why });
      return forbidden(why);
    };
    const early = await roleRefusal(deps, admin.role, route, null, limits);
    if (early !== null) throw await refuse(early);
    const path = readParams(route.pathParams, [], request.params as Record<string, string>);
    const params = readParams(route.params, pairsOf(route.method === 'POST' ? request.body : request.query));
    const late = await roleRefusal(
      deps,
      admin.role,
      route,
      { params, path: path as Record<string, string> },
      limits,
    );
    if (late !== null) throw await refuse(late);
    return route.handler(context, { actor, grants: grantsOfRole(admin.role), params, path });
  };

  for (const route of ADMIN_ROUTES) {
    addRoute(fastify, {
      method: route.method,
      url: fastifyPath(route.path),
      schema: routeSchema(route),
      handler: async (request, reply) => {
        const answer = await run(route, request);
        return sendOk(reply, answer.response, answer.metadata);
      },
    });
  }
}
