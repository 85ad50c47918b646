// After a valid authorize request: map duo_uname to a user (or apply the new-user policy) and open the prompt.
import type { FastifyReply } from 'fastify';
import { createUser } from '../../core/admin/create-user.ts';
import { audit } from '../../core/audit.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { isCountersignError } from '../../core/errors.ts';
import { evaluateUnknownUser } from '../../core/evaluate-access.ts';
import type { User } from '../../core/model.ts';
import { startPromptFlow, type UniversalFinish } from '../../core/web/prompt-flow.ts';
import { universalDeniedUrl } from '../../core/web/universal-codes.ts';
import { sendMessagePage } from '../prompt/message-page.ts';
import { PROMPT_COOKIE, setCookie } from '../web-common/cookies.ts';
import type { AuthorizeRequest } from './authorize-request.ts';

/**
 * The user `duo_uname` names (matched by its canonical key; a refused name never gets here, see
 * authorize-request.ts); an unknown name follows the new-user policy (created to enroll, or refused).
 */
async function resolveUser(deps: CoreDeps, request: AuthorizeRequest): Promise<User | null> {
  const known = await deps.store.users.findByName(request.username);
  if (known) return known;
  const decision = await evaluateUnknownUser(deps.store, request.app, deps.clock.now());
  if (decision.result === 'deny') {
    await audit(deps.store, deps.clock.now(), {
      kind: 'auth',
      action: 'authentication',
      username: request.username,
      applicationId: request.app.id,
      result: 'deny',
      reason: decision.reason,
    });
    return null;
  }
  try {
    return await createUser(deps, `universal:${request.clientId}`, { username: request.username });
  } catch (error) {
    // Two first logins at once: the other one created the user.
    if (isCountersignError(error, 'USER_EXISTS')) return deps.store.users.findByName(request.username);
    throw error;
  }
}

/** Starts the prompt for a verified authorize request: sets the flow's session cookie and redirects to it. */
export async function startUniversalFlow(
  deps: CoreDeps,
  request: AuthorizeRequest,
  ip: string,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const finish: UniversalFinish = {
    kind: 'universal',
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    state: request.state,
    nonce: request.nonce,
    useDuoCode: request.useDuoCode,
  };
  const user = await resolveUser(deps, request);
  if (!user) {
    // The same words as for a disabled account: nothing tells whether the name exists. The way back carries
    // access_denied, never a code.
    return sendMessagePage(reply, 403, {
      title: `You can't sign in to ${request.app.name}`,
      paragraphs: ['This account cannot be used to sign in here. Contact your help desk if you need access.'],
      link: { href: universalDeniedUrl(finish, 'denied'), text: `Return to ${request.app.name}` },
    });
  }
  const flow = await startPromptFlow(deps, {
    app: request.app,
    username: request.username,
    user,
    needsPassword: false,
    ip,
    finish,
  });
  // A browser-session cookie: the server enforces the flow's lifetime on its own clock.
  setCookie(reply, PROMPT_COOKIE, flow.token, { expiresAt: null });
  return reply.redirect(`/prompt/${flow.flowId}`, 302);
}
