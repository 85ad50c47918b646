// The hosted login prompt's flow: which application and user, the transaction under way, and where to go after.
import type { CoreDeps } from '../deps.ts';
import type { Application, User, WebSession } from '../model.ts';
import { endWebSession, loadWebSession, startWebSession } from './sessions.ts';
import { isTokenShaped, newToken, tokenId } from './tokens.ts';

/** A flow lives at most this long: one sign-in, a push timeout and some reading time. */
export const FLOW_TTL_MS = 15 * 60_000;

/** Finish by redirecting to a Universal Prompt client with an authorization code. */
export interface UniversalFinish {
  kind: 'universal';
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string | null;
  /** `duo_code=` (true, the SDK's default) or `code=` in the redirect. */
  useDuoCode: boolean;
}

/** Finish by returning to a same-origin path of this server (fronts such as OIDC/SAML, and tests). */
export interface LocalFinish {
  kind: 'local';
  returnTo: string;
}

/**
 * Finish by handing the outcome to a single sign-on front (OIDC or SAML, core/sso/handoff.ts): the browser returns
 * to `returnTo` with a one-time code bound to `requestRef`, the front's pending request.
 */
export interface SsoFinish {
  kind: 'sso';
  protocol: 'oidc' | 'saml';
  /** The front's id of the request waiting for this sign-in (the OIDC interaction uid, the SAML request's ID). */
  requestRef: string;
  /** A same-origin path of the front. */
  returnTo: string;
  /** Opaque to the prompt: given back to the front with the outcome. */
  state: string | null;
}

export type FlowFinish = UniversalFinish | LocalFinish | SsoFinish;

/** Everything a flow remembers between requests (kept in the prompt session's data: any node serves any step). */
export interface PromptFlow {
  appId: string;
  /** The name the front gave (Universal: `duo_uname`, verbatim). */
  username: string;
  userId: string;
  needsPassword: boolean;
  passwordDone: boolean;
  txid: string | null;
  ip: string | null;
  finish: FlowFinish;
  /** SHA-256 of the one-time token that lets the browser resume after inline enrollment. */
  resumeHash: string | null;
  /** A second factor must be used now: a remembered browser does not count (OIDC `prompt=login`, `max_age`). */
  freshFactor?: boolean;
}

export interface StartFlowInput {
  app: Application;
  username: string;
  user: User;
  needsPassword: boolean;
  ip: string | null;
  finish: FlowFinish;
  freshFactor?: boolean;
}

/** A loaded flow: its session (the cookie's) and its data. */
export interface LoadedFlow {
  session: WebSession;
  flow: PromptFlow;
}

/**
 * Starts a flow bound to a new prompt session; returns the flow id (the session's stored id, not its token: the
 * URL alone is useless without the cookie) and the cookie token.
 */
export async function startPromptFlow(
  deps: CoreDeps,
  input: StartFlowInput,
): Promise<{ flowId: string; token: string; expiresAt: number }> {
  const flow: PromptFlow = {
    appId: input.app.id,
    username: input.username,
    userId: input.user.id,
    needsPassword: input.needsPassword,
    passwordDone: false,
    txid: null,
    ip: input.ip,
    finish: input.finish,
    resumeHash: null,
    ...(input.freshFactor && { freshFactor: true }),
  };
  const { session, token } = await startWebSession(deps, input.user, 'prompt', {
    ttlMs: FLOW_TTL_MS,
    data: { flow },
  });
  return { flowId: session.id, token, expiresAt: session.expiresAt };
}

/** Reads the flow data stored in a session, or null when the session is not a prompt flow. */
export function flowOf(session: WebSession): PromptFlow | null {
  if (session.kind !== 'prompt') return null;
  const flow = session.data.flow as PromptFlow | undefined;
  return flow && typeof flow.appId === 'string' ? flow : null;
}

/** The flow `flowId` when the browser's cookie `token` is the session behind it; null otherwise. */
export async function loadPromptFlow(
  deps: CoreDeps,
  flowId: string,
  token: string | undefined,
): Promise<LoadedFlow | null> {
  if (!isTokenShaped(token) || tokenId(token) !== flowId) return null;
  const session = await loadWebSession(deps, token);
  const flow = session && flowOf(session);
  return session && flow ? { session, flow } : null;
}

/** Stores a changed flow. */
export async function saveFlow(deps: CoreDeps, loaded: LoadedFlow, flow: PromptFlow): Promise<LoadedFlow> {
  const data = { ...loaded.session.data, flow };
  await deps.store.webSessions.update(loaded.session.id, { data });
  return { session: { ...loaded.session, data }, flow };
}

/** Ends a flow (after it finished: its session can mint nothing more). */
export async function endFlow(deps: CoreDeps, loaded: LoadedFlow): Promise<void> {
  await endWebSession(deps, loaded.session);
}

/** Issues a one-time resume token for inline enrollment; the flow keeps only its hash. */
export async function issueResumeToken(deps: CoreDeps, loaded: LoadedFlow): Promise<string> {
  const { token, id } = newToken(deps.random);
  await saveFlow(deps, loaded, { ...loaded.flow, resumeHash: id });
  return token;
}

/**
 * Resumes a flow after inline enrollment: the browser's cookie is now the portal's, so a valid resume token moves
 * the flow to a fresh prompt session (new cookie, new id) and spends the token. Returns null when not resumable.
 */
export async function resumePromptFlow(
  deps: CoreDeps,
  flowId: string,
  resumeToken: string | undefined,
): Promise<{ flowId: string; token: string; expiresAt: number } | null> {
  if (!isTokenShaped(resumeToken)) return null;
  const old = await deps.store.webSessions.getActive(flowId, deps.clock.now());
  const flow = old && flowOf(old);
  if (!old || !flow || flow.resumeHash === null || flow.resumeHash !== tokenId(resumeToken)) return null;
  await deps.store.webSessions.revoke(old.id, deps.clock.now());
  // The old transaction ended as `not_enrolled`: the resumed flow begins a new one with the new device.
  const resumed: PromptFlow = { ...flow, txid: null, resumeHash: null };
  const owner = { id: old.userId } as User;
  const { session, token } = await startWebSession(deps, owner, 'prompt', {
    ttlMs: FLOW_TTL_MS,
    data: { flow: resumed },
  });
  return { flowId: session.id, token, expiresAt: session.expiresAt };
}
