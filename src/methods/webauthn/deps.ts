// What the WebAuthn ceremonies need: repositories, time, randomness, a challenge slot and the policy's UV rule.
import type { Clock, Random } from '../../core/clock.ts';
import type { Policy } from '../../core/model.ts';
import type { Repositories } from '../../core/repositories.ts';
import { CHALLENGE_TTL_MS, type ChallengePurpose, type ChallengeSlot } from './challenge-slot.ts';
import { WebauthnError } from './errors.ts';

export interface WebauthnDeps {
  /** The store, or the repositories of an open database transaction. */
  store: Repositories;
  clock: Clock;
  random: Random;
  /** Where this ceremony's challenge waits (a web session's data, a transaction's data). */
  challenges: ChallengeSlot;
  /** The policy's `userVerification` for this user and application. */
  userVerification: Policy['userVerification'];
}

/**
 * Issues and stores a fresh 256-bit challenge. The bytes go to the options generator (given a string it would
 * encode the string's UTF-8 bytes), so the options' base64url challenge equals the stored value.
 */
export async function issueChallenge(
  deps: WebauthnDeps,
  purpose: ChallengePurpose,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(deps.random.bytes(32));
  const value = Buffer.from(bytes).toString('base64url');
  await deps.challenges.save({ value, purpose, expiresAt: deps.clock.now() + CHALLENGE_TTL_MS });
  return bytes;
}

/** Takes the pending challenge (forgetting it) or throws `no_challenge` when absent, expired or of another kind. */
export async function takeChallenge(deps: WebauthnDeps, purpose: ChallengePurpose): Promise<string> {
  const pending = await deps.challenges.take();
  if (!pending || pending.purpose !== purpose || deps.clock.now() >= pending.expiresAt) {
    throw new WebauthnError('no_challenge', pending ? 'expired or wrong purpose' : 'none pending');
  }
  return pending.value;
}
