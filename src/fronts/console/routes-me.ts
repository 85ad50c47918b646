// GET /admin/console/auth/me: who is signed in to the console, their role, and what the page may offer them.
import type { FastifyInstance } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import type { AdminPermission, AdminRole } from '../../core/model.ts';
import { currentSession, type SessionFlavor } from '../portal/portal-session.ts';
import { addRoute } from '../web-common/add-route.ts';
import { HELP_DESK, type HelpDeskLimits, ROLE_GRANTS } from './role-access.ts';

/** The answer: the page hides what the role cannot do (the server refuses it anyway). */
export interface ConsoleMe {
  organization: string;
  username: string;
  realName: string | null;
  role: AdminRole;
  /** The role's grants; the help desk has none, only `operations`. */
  grants: readonly AdminPermission[];
  /** For the help desk: the `METHOD /path` operations it may call. */
  operations: string[];
  limits: HelpDeskLimits;
}

export function meRoute(
  fastify: FastifyInstance,
  options: { deps: CoreDeps; flavor: SessionFlavor; organization: string; limits: HelpDeskLimits },
): void {
  const { deps, flavor } = options;
  addRoute(fastify, {
    method: 'GET',
    url: '/me',
    schema: {},
    handler: async (request) => {
      const signed = await currentSession(deps, request, flavor);
      if (!signed || signed.session.mfaAt === null) throw new CountersignError('NOT_SIGNED_IN');
      const admin = await deps.store.administrators.get(signed.user.id);
      if (!admin) throw new CountersignError('NOT_SIGNED_IN', 'not an administrator');
      return {
        organization: options.organization,
        username: signed.user.username,
        realName: signed.user.realName,
        role: admin.role,
        grants: admin.role === 'help-desk' ? [] : ROLE_GRANTS[admin.role],
        operations: admin.role === 'help-desk' ? Object.keys(HELP_DESK) : [],
        limits: options.limits,
      } satisfies ConsoleMe;
    },
  });
}
