// The second step of a RADIUS login, through the core: a passcode, a push waited for, or a challenge to answer.
import { isCountersignError } from '../../../core/errors.ts';
import type { AuthTransaction, User } from '../../../core/model.ts';
import {
  authenticateWithPasscode,
  beginTransaction,
  endTransaction,
  isFinal,
  pushAndAwait,
  startAndAwait,
  textPasscodes,
} from '../../../core/transaction/index.ts';
import { phoneNumberOf } from '../../../methods/phone/phone-device.ts';
import { type ChallengeSecret, encodeState, newChallengeSecret } from './challenge-state.ts';
import { fromFinalTransaction, type Outcome, type RequestContext, rejected } from './outcome.ts';

export const PASSCODE_PROMPT = 'Enter a passcode from your authenticator app or token.';
export const PASSCODE_OR_PUSH_PROMPT =
  'Enter a passcode from your authenticator app or token, or 1 for a push.';

/** A one-shot passcode login. */
export async function passcodeFactor(ctx: RequestContext, user: User, code: string): Promise<Outcome> {
  const tx = await authenticateWithPasscode(ctx.deps, { app: ctx.app, user, ip: ctx.ip }, code.trim());
  return fromFinalTransaction(user, tx);
}

/** Opens a transaction whose data can later match a challenge State (harmless when no challenge follows). */
async function begin(ctx: RequestContext, user: User) {
  const challenge = newChallengeSecret(ctx.deps.random, ctx.client.name);
  const { tx, decision } = await beginTransaction(ctx.deps, {
    app: ctx.app,
    user,
    ip: ctx.ip,
    factor: null,
    data: challenge.data,
  });
  const hasPush = decision.result === 'auth' && decision.authenticators.some((a) => a.kind === 'push');
  return { tx, user: decision.user, challenge, hasPush };
}

function challengeOutcome(
  tx: AuthTransaction,
  user: User,
  challenge: ChallengeSecret,
  message: string,
): Outcome {
  const state = encodeState(tx.id, challenge.secret);
  return { kind: 'challenge', user, reason: 'challenge', message, state, txid: tx.id };
}

/**
 * A push to the user's first device, waited for. With `fallback`, a user without a push device gets a
 * passcode challenge instead; without it, the login ends as a deny.
 */
export async function pushFactor(
  ctx: RequestContext,
  user: User,
  options: { automatic: boolean; fallback: boolean },
): Promise<Outcome> {
  const started = await begin(ctx, user);
  if (isFinal(started.tx.state)) return fromFinalTransaction(started.user, started.tx);
  if (!started.hasPush && options.fallback) {
    return challengeOutcome(started.tx, started.user, started.challenge, PASSCODE_PROMPT);
  }
  return pushAndWait(ctx, started.tx, started.user, options.automatic);
}

/** Password accepted, now ask: an Access-Challenge listing the options the user has. */
export async function challengeFactor(ctx: RequestContext, user: User): Promise<Outcome> {
  const started = await begin(ctx, user);
  if (isFinal(started.tx.state)) return fromFinalTransaction(started.user, started.tx);
  const prompt = started.hasPush ? PASSCODE_OR_PUSH_PROMPT : PASSCODE_PROMPT;
  return challengeOutcome(started.tx, started.user, started.challenge, prompt);
}

/** Pushes a waiting transaction and waits (the NAS's retransmissions are dropped meanwhile) for the answer. */
export async function pushAndWait(
  ctx: RequestContext,
  tx: AuthTransaction,
  user: User,
  automatic: boolean,
): Promise<Outcome> {
  const { deps } = ctx;
  let decided: AuthTransaction;
  try {
    // No deadline of its own: the push's expiry ends the wait (the core settles the login as timeout).
    decided = await pushAndAwait(deps, tx.id, {
      device: 'auto',
      automatic,
      // A NAS cannot show a verified-push number to the user.
      canShowCode: false,
      details: [['Client', ctx.client.name]],
    });
  } catch (error) {
    return notStarted(ctx, tx, user, 'push', error);
  }
  return fromFinalTransaction(user, decided);
}

/** The reject for a factor that could not start (no device for it, not allowed, the login already answered). */
async function notStarted(
  ctx: RequestContext,
  tx: AuthTransaction,
  user: User,
  factor: string,
  error: unknown,
): Promise<Outcome> {
  if (isCountersignError(error, 'NO_CAPABLE_DEVICE', 'FACTOR_NOT_ALLOWED')) {
    const reason = error.code === 'NO_CAPABLE_DEVICE' ? 'no_capable_device' : 'factor_not_allowed';
    const ended = await endTransaction(ctx.deps, tx, user, { reason, factor });
    return fromFinalTransaction(user, ended);
  }
  if (isCountersignError(error, 'TRANSACTION_FINISHED'))
    return rejected(user, 'state_reused', { txid: tx.id });
  throw error;
}

/**
 * `phone` or `sms` (optionally numbered among the user's phones, as `phone2`): a sign-in call waited for, or a
 * new batch of SMS passcodes and a reject saying they were sent (as Duo's proxy does: the user signs in again
 * with `password,code`). Rejected as not enabled while telephony cannot do it.
 */
async function telephonyFactor(
  ctx: RequestContext,
  user: User,
  factor: 'phone' | 'sms',
  index: number,
): Promise<Outcome> {
  const { deps } = ctx;
  if (!deps.telephony.enabled || (factor === 'phone' && !deps.telephony.canCall))
    return rejected(user, 'factor_not_enabled', { factor });
  const started = await begin(ctx, user);
  if (isFinal(started.tx.state)) return fromFinalTransaction(started.user, started.tx);
  const phones = (await deps.store.authenticators.listForUser(user.id)).filter(
    (a) => phoneNumberOf(a) !== null,
  );
  const device = phones[index - 1]?.id ?? 'none';
  try {
    const decided =
      factor === 'sms'
        ? await textPasscodes(deps, started.tx.id, { device, end: true })
        : await startAndAwait(deps, started.tx.id, 'phone', { device });
    return fromFinalTransaction(started.user, decided);
  } catch (error) {
    return notStarted(ctx, started.tx, started.user, factor, error);
  }
}

/** A factor typed as a word or code (concat and mfa-only modes): push, auto, phone/sms, or a passcode. */
export function factorWord(ctx: RequestContext, user: User, text: string): Promise<Outcome> {
  const word = text.trim().toLowerCase();
  if (word === 'push') return pushFactor(ctx, user, { automatic: false, fallback: false });
  if (word === 'auto' || word === '') return pushFactor(ctx, user, { automatic: true, fallback: true });
  const telephony = /^(phone|sms)([1-9]?)$/.exec(word);
  if (telephony)
    return telephonyFactor(ctx, user, telephony[1] as 'phone' | 'sms', Number(telephony[2] || 1));
  return passcodeFactor(ctx, user, text);
}
