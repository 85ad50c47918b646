// What the prompt page shows for a flow: its stage, the user's methods, the push number, notices and messages.
import type { CoreDeps } from '../../core/deps.ts';
import { policyFor, usableAuthenticators } from '../../core/evaluate-access.ts';
import type { AuthTransaction } from '../../core/model.ts';
import { isFinal } from '../../core/transaction/index.ts';
import type { LoadedFlow } from '../../core/web/prompt-flow.ts';
import { flowSubjects, isRetryable } from '../../core/web/prompt-steps.ts';
import { type PromptMethod, readUserPrefs } from '../../core/web/user-prefs.ts';
import { verificationCode } from '../../methods/push/push-request.ts';
import type { FlowView, Stage } from './flow-view-shape.ts';

export type { FlowView, Stage } from './flow-view-shape.ts';

export interface ViewContext {
  deps: CoreDeps;
  organization: string;
  helpUrl: string | null;
}

/** What the user reads after a failure they can retry (never a detail that helps an attacker). */
const RETRY_NOTICES: Record<string, string> = {
  invalid_passcode: 'That passcode is not correct. Try again.',
  invalid_webauthn: 'That security key could not be verified. Try again or choose another option.',
  denied: 'The request was denied on your device.',
  wrong_code: 'The number entered on your device did not match. Send a new request to try again.',
  timeout: 'The request timed out. Try again.',
  push_outstanding: 'A request is already waiting on your device. Answer it, or try again in a minute.',
  push_limit: 'Too many requests were sent. Wait a few minutes, or use another option.',
  fraud_pause: 'Requests to your device are paused for now. Use another option or contact your help desk.',
  denial_cooldown: 'Automatic requests are paused after a denial. Send one yourself, or use another option.',
};

function blockedMessage(tx: AuthTransaction, application: string): { title: string; text: string } {
  if (tx.state === 'fraud') {
    return {
      title: 'Sign-in stopped',
      text: 'You reported this request as fraud. Your help desk has been told. No one was signed in.',
    };
  }
  if (tx.reason === 'policy_deny') {
    return {
      title: `You can't sign in to ${application}`,
      text: `Your organization's policy does not allow signing in to ${application}. Contact your help desk if you need access.`,
    };
  }
  // Disabled, locked out, refused as a new user: the same words, so nothing tells these apart.
  return {
    title: `You can't sign in to ${application}`,
    text: 'This account cannot be used to sign in here. Contact your help desk if you need access.',
  };
}

function stageOf(loaded: LoadedFlow, tx: AuthTransaction | null): Stage {
  if (loaded.flow.needsPassword && !loaded.flow.passwordDone) return 'password';
  if (!tx) return 'begin';
  if (tx.state === 'allow') return 'allowed';
  if (!isFinal(tx.state) || isRetryable(tx)) return 'factor';
  if (tx.state === 'deny' && tx.reason === 'not_enrolled') return 'enroll';
  return 'blocked';
}

/** Describes `loaded` with its current transaction `tx` (null before the first) for the page. */
export async function describeFlow(
  ctx: ViewContext,
  loaded: LoadedFlow,
  tx: AuthTransaction | null,
  notice: FlowView['notice'] = null,
): Promise<FlowView> {
  const { deps } = ctx;
  const { user, app } = await flowSubjects(deps, loaded);
  const policy = await policyFor(deps.store, app, user);
  const usable = usableAuthenticators(await deps.store.authenticators.listForUser(user.id), policy);
  const push = usable.filter((a) => a.kind === 'push').map((a) => ({ id: a.id, name: a.name }));
  const webauthn = usable.some((a) => a.kind === 'webauthn');
  const prefs = await readUserPrefs(deps.store.settings, user.id);
  const available: Record<PromptMethod, boolean> = { push: push.length > 0, webauthn, passcode: true };
  const fallback: PromptMethod = push.length > 0 ? 'push' : webauthn ? 'webauthn' : 'passcode';
  const stage = stageOf(loaded, tx);
  const retryNotice =
    tx && isFinal(tx.state) && isRetryable(tx) ? RETRY_NOTICES[tx.reason ?? 'timeout'] : undefined;
  return {
    flowId: loaded.session.id,
    csrf: loaded.session.csrf,
    organization: ctx.organization,
    application: app.name,
    username: loaded.flow.username,
    helpUrl: ctx.helpUrl,
    stage,
    methods: { push, passcode: true, webauthn },
    defaultMethod: prefs.defaultMethod && available[prefs.defaultMethod] ? prefs.defaultMethod : fallback,
    autoPush: prefs.autoPush && push.length > 0,
    rememberHours: policy.rememberScope !== 'off' && policy.rememberHours > 0 ? policy.rememberHours : null,
    tx: tx && { version: tx.version, state: tx.state, factor: tx.factor, code: verificationCode(tx) },
    notice: notice ?? (retryNotice ? { tone: 'error', text: retryNotice } : null),
    message: stage === 'blocked' && tx ? blockedMessage(tx, app.name) : null,
  };
}
