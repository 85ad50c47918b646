// Who may change sign-in methods now, and what a user's own change looks like in the audit log.
import type { FastifyRequest } from 'fastify';
import type { User, WebSession } from '../../core/model.ts';
import { stepUp } from '../../core/web/sessions.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import { type PortalContext, publicOrigin } from './context.ts';
import { type FactorState, requireAccess } from './portal-session.ts';

/** The actor recorded in the audit log for a user's own changes. */
export function selfActor(user: User): string {
  return `user:${user.username}`;
}

/** A session allowed to change factors (step-up within 15 minutes, or no factor yet), checked for CSRF. */
export async function changeAccess(context: PortalContext, request: FastifyRequest, full = false) {
  const access = await requireAccess(context.deps, request, { level: 'change', full });
  checkCsrf(request, publicOrigin(context), access.session.csrf);
  return access;
}

/** After the first factor is enrolled, its possession is fresh proof: the session counts as stepped up. */
export async function afterFirstFactor(
  context: PortalContext,
  session: WebSession,
  before: FactorState,
): Promise<void> {
  if (!before.hasFactor) await stepUp(context.deps, session);
}
