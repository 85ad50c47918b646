// The first steps of a single sign-on: ride on the browser's SSO session when it is good enough for this request,
// else check the username and password; either way the sign-in continues in the prompt (policy, second factor).
import type { CoreDeps } from '../../core/deps.ts';
import type { User } from '../../core/model.ts';
import { verifyPrimary } from '../../core/primary-auth.ts';
import { loadSsoSession, type SsoSession } from '../../core/sso/sso-session.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { startPromptFlow } from '../../core/web/prompt-flow.ts';
import type { SsoFlowState, SsoRequest } from './sso-request.ts';

/** The one message for every sign-in failure: no user enumeration (SECURITY.md). */
export const SIGN_IN_FAILED = 'Incorrect username or password.';

/** Where the browser goes next: the prompt (with its flow cookie), or the sign-in page (prefilled). */
export type SsoStep =
  | { kind: 'prompt'; location: string; promptToken: string }
  | { kind: 'sign-in'; username: string; error: string | null };

/** True when the session's sign-in satisfies `request`: not forced, recent enough, and the hinted user's. */
function sessionCovers(deps: CoreDeps, request: SsoRequest, sso: SsoSession, hinted: string | null): boolean {
  if (request.forceLogin) return false;
  if (request.maxAgeMs !== null && deps.clock.now() - sso.data.authTime > request.maxAgeMs) return false;
  return hinted === null || hinted === sso.session.userId;
}

/** A relying party that asked for a recent sign-in gets a second factor used now, not a remembered browser's. */
function wantsFreshFactor(request: SsoRequest): boolean {
  return request.forceLogin || request.maxAgeMs !== null;
}

async function toPrompt(
  deps: CoreDeps,
  request: SsoRequest,
  user: User,
  ip: string | null,
  state: SsoFlowState,
  freshFactor: boolean,
): Promise<SsoStep> {
  const flow = await startPromptFlow(deps, {
    app: request.app,
    username: user.username,
    user,
    needsPassword: false,
    ip,
    finish: {
      kind: 'sso',
      protocol: request.protocol,
      requestRef: request.requestRef,
      returnTo: request.paths.done,
      state: JSON.stringify(state),
    },
    freshFactor,
  });
  return { kind: 'prompt', location: `/prompt/${flow.flowId}`, promptToken: flow.token };
}

/** Starts a sign-in: straight to the prompt on a live SSO session that covers the request, else the sign-in page. */
export async function beginSignIn(
  deps: CoreDeps,
  request: SsoRequest,
  browser: { ssoToken: string | undefined; ip: string | null },
): Promise<SsoStep> {
  const sso = await loadSsoSession(deps, browser.ssoToken);
  const hintedUser = request.loginHint ? await findByHint(deps, request.loginHint) : null;
  const hinted = request.loginHint ? (hintedUser?.id ?? '') : null;
  if (sso && sessionCovers(deps, request, sso, hinted)) {
    const user = await deps.store.users.get(sso.session.userId);
    if (user) {
      // The session proved the password: the prompt asks only what this application's policy still wants.
      const state: SsoFlowState = { passwordAt: null, ssoSessionId: sso.session.id };
      return toPrompt(deps, request, user, browser.ip, state, false);
    }
  }
  const signedIn = sso ? await deps.store.users.get(sso.session.userId) : null;
  return { kind: 'sign-in', username: request.loginHint ?? signedIn?.username ?? '', error: null };
}

async function findByHint(deps: CoreDeps, hint: string) {
  const checked = canonicalUsername(hint);
  return checked.ok ? deps.store.users.findByName(checked.name) : null;
}

/** Checks the sign-in page's username and password (directory or local); on success continues in the prompt. */
export async function signInWithPassword(
  deps: CoreDeps,
  request: SsoRequest,
  form: { username: unknown; password: unknown },
  ip: string | null,
): Promise<SsoStep> {
  const typed = typeof form.username === 'string' ? form.username.trim() : '';
  const password = typeof form.password === 'string' ? form.password : '';
  if (typed === '' || password === '') {
    return { kind: 'sign-in', username: typed, error: 'Enter your username and password.' };
  }
  const checked = canonicalUsername(typed);
  // The refusal depends on the name's characters alone, so saying why tells nothing about who exists.
  if (!checked.ok)
    return { kind: 'sign-in', username: typed, error: `That username is not valid: ${checked.reason}.` };
  if (password.length > 1024) return { kind: 'sign-in', username: typed, error: SIGN_IN_FAILED };
  const result = await verifyPrimary(deps, request.app, checked.name, password, ip);
  if (!result.ok) {
    const error =
      result.reason === 'unavailable'
        ? 'Sign-in is unavailable right now. Please try again shortly.'
        : SIGN_IN_FAILED;
    return { kind: 'sign-in', username: typed, error };
  }
  const state: SsoFlowState = { passwordAt: deps.clock.now(), ssoSessionId: null };
  return toPrompt(deps, request, result.user, ip, state, wantsFreshFactor(request));
}
