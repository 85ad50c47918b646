// Per-request helper of the prompt API: load the flow named in the URL, bound to this browser's cookie, and check CSRF.

import type { FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import { type LoadedFlow, loadPromptFlow } from '../../core/web/prompt-flow.ts';
import { PROMPT_COOKIE, readCookie } from '../web-common/cookies.ts';
import { checkCsrf } from '../web-common/csrf.ts';

/** Loads the flow `flowId`, bound to this browser's cookie (else FLOW_NOT_FOUND); checks CSRF on changes. */
export async function requireFlow(
  deps: CoreDeps,
  request: FastifyRequest<{ Params: { flowId: string } }>,
  publicOrigin: string,
): Promise<LoadedFlow> {
  const loaded = await loadPromptFlow(deps, request.params.flowId, readCookie(request, PROMPT_COOKIE));
  if (!loaded) throw new CountersignError('FLOW_NOT_FOUND', request.params.flowId);
  checkCsrf(request, publicOrigin, loaded.session.csrf);
  return loaded;
}
