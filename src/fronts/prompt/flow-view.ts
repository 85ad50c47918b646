// What the prompt page shows for a flow: its stage, the user's methods, the push number, notices and messages.
import type { CoreDeps } from '../../core/deps.ts';
import { policyFor, usableAuthenticators } from '../../core/evaluate-access.ts';
import type { Authenticator, AuthTransaction } from '../../core/model.ts';
import { isFinal, reasonWords } from '../../core/transaction/index.ts';
import type { LoadedFlow } from '../../core/web/prompt-flow.ts';
import { flowSubjects, isRetryable } from '../../core/web/prompt-steps.ts';
import { type PromptMethod, readUserPrefs } from '../../core/web/user-prefs.ts';
import { maskedNumber, phoneNumberOf } from '../../methods/phone/phone-device.ts';
import { verificationCode } from '../../methods/push/push-request.ts';
import type { FlowView, Stage } from './flow-view-shape.ts';

export type { FlowView, Stage } from './flow-view-shape.ts';

export interface ViewContext {
  deps: CoreDeps;
  organization: string;
  helpUrl: string | null;
}

/** The words of a final transaction's reason (reasons.ts: never a detail that helps an attacker). */
function outcomeWords(tx: AuthTransaction, application: string): string {
  return reasonWords(tx.reason ?? 'unknown_reason', application);
}

function blockedMessage(tx: AuthTransaction, application: string): { title: string; text: string } {
  const title = tx.state === 'fraud' ? 'Sign-in stopped' : `You can't sign in to ${application}`;
  return { title, text: outcomeWords(tx, application) };
}

function stageOf(loaded: LoadedFlow, tx: AuthTransaction | null): Stage {
  if (loaded.flow.needsPassword && !loaded.flow.passwordDone) return 'password';
  if (!tx) return 'begin';
  if (tx.state === 'allow') return 'allowed';
  if (!isFinal(tx.state) || isRetryable(tx)) return 'factor';
  if (tx.state === 'deny' && tx.reason === 'not_enrolled') return 'enroll';
  return 'blocked';
}

/** The user's phone as the page offers it: null without one, or while telephony can neither text nor call. */
function describePhone(
  deps: CoreDeps,
  usable: Authenticator[],
  allowed: readonly string[],
): FlowView['methods']['phone'] {
  const number = usable.map(phoneNumberOf).find((found) => found !== null);
  const sms = deps.telephony.enabled && allowed.includes('sms');
  const call = deps.telephony.canCall && allowed.includes('phone');
  if (!number || (!sms && !call)) return null;
  return { number: maskedNumber(number), sms, call };
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
  const phone = describePhone(deps, usable, policy.allowedMethods);
  const prefs = await readUserPrefs(deps.store.settings, user.id);
  const available: Record<PromptMethod, boolean> = { push: push.length > 0, webauthn, passcode: true };
  const fallback: PromptMethod = push.length > 0 ? 'push' : webauthn ? 'webauthn' : 'passcode';
  const stage = stageOf(loaded, tx);
  const retryNotice = tx && isFinal(tx.state) && isRetryable(tx) ? outcomeWords(tx, app.name) : undefined;
  return {
    flowId: loaded.session.id,
    csrf: loaded.session.csrf,
    organization: ctx.organization,
    application: app.name,
    username: loaded.flow.username,
    helpUrl: ctx.helpUrl,
    stage,
    methods: { push, passcode: true, webauthn, phone },
    defaultMethod: prefs.defaultMethod && available[prefs.defaultMethod] ? prefs.defaultMethod : fallback,
    autoPush: prefs.autoPush && push.length > 0,
    rememberHours: policy.rememberScope !== 'off' && policy.rememberHours > 0 ? policy.rememberHours : null,
    tx: tx && { version: tx.version, state: tx.state, factor: tx.factor, code: verificationCode(tx) },
    notice: notice ?? (retryNotice ? { tone: 'error', text: retryNotice } : null),
    message: stage === 'blocked' && tx ? blockedMessage(tx, app.name) : null,
  };
}
