// The four RADIUS modes (per client): what the RADIUS password holds and how the second factor is asked for.
import type { RadiusMode } from '../../../core/admin/radius-clients.ts';
import { evaluateUnknownUser } from '../../../core/evaluate-access.ts';
import { type Outcome, type RequestContext, rejected } from './outcome.ts';
import { checkPassword } from './primary.ts';
import { challengeFactor, factorWord, pushFactor } from './second-factor.ts';

/** auto: the password, then a push to the first device, or a passcode challenge for users without one. */
export async function autoMode(ctx: RequestContext, password: string): Promise<Outcome> {
  const checked = await checkPassword(ctx, password);
  if (!checked.ok) return checked.outcome;
  return pushFactor(ctx, checked.user, { automatic: true, fallback: true });
}

/** concat: `password<delimiter>factor`, split at the last delimiter; without one it is auto. */
export async function concatMode(ctx: RequestContext, password: string): Promise<Outcome> {
  const at = password.lastIndexOf(ctx.client.delimiter);
  if (at === -1) return autoMode(ctx, password);
  const checked = await checkPassword(ctx, password.slice(0, at));
  if (!checked.ok) return checked.outcome;
  return factorWord(ctx, checked.user, password.slice(at + ctx.client.delimiter.length));
}

/** challenge: the password, then an Access-Challenge listing the options. */
export async function challengeMode(ctx: RequestContext, password: string): Promise<Outcome> {
  const checked = await checkPassword(ctx, password);
  if (!checked.ok) return checked.outcome;
  return challengeFactor(ctx, checked.user);
}

/** mfa-only: the NAS checked the password itself; ours is a passcode or a factor name (push, auto). */
export async function mfaOnlyMode(ctx: RequestContext, password: string): Promise<Outcome> {
  const user = await ctx.deps.store.users.findByName(ctx.username);
  if (user) return factorWord(ctx, user, password);
  // An unknown user gets the new-user policy, as at the Auth API.
  const decision = await evaluateUnknownUser(ctx.deps.store, ctx.app, ctx.deps.clock.now());
  if (decision.result === 'allow') {
    return { kind: 'accept', user: null, reason: decision.reason, factor: null, txid: null };
  }
  if (decision.result === 'enroll') return rejected(null, 'unknown_user');
  return rejected(null, decision.reason);
}

const MODES: Record<RadiusMode, (ctx: RequestContext, password: string) => Promise<Outcome>> = {
  auto: autoMode,
  concat: concatMode,
  challenge: challengeMode,
  'mfa-only': mfaOnlyMode,
};

/** Runs the client's mode on a first Access-Request (one without State). */
export function runMode(ctx: RequestContext, password: string): Promise<Outcome> {
  return MODES[ctx.client.mode](ctx, password);
}
