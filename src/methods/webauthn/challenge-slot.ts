// Where a pending WebAuthn challenge waits between the options and the answer: single use, 5 minutes.

/** How long a challenge may be answered (WebAuthn L3 §13.4.3: challenges must not be reusable). */
export const CHALLENGE_TTL_MS = 5 * 60_000;

export type ChallengePurpose = 'registration' | 'authentication';

/** A challenge handed to the browser and not yet answered. */
export interface PendingChallenge {
  /** base64url of 32 random bytes. */
  value: string;
  purpose: ChallengePurpose;
  expiresAt: number;
}

/** Holds at most one pending challenge; `take` returns it and forgets it (single use). */
export interface ChallengeSlot {
  save(challenge: PendingChallenge): Promise<void>;
  take(): Promise<PendingChallenge | null>;
}

/** The key under which a challenge lives in a web session's or transaction's data. */
export const CHALLENGE_KEY = 'webauthnChallenge';

/** Reads a stored challenge back from JSON data, or null when absent or malformed. */
export function readChallenge(data: Record<string, unknown>): PendingChallenge | null {
  const raw = data[CHALLENGE_KEY];
  if (typeof raw !== 'object' || raw === null) return null;
  const { value, purpose, expiresAt } = raw as Record<string, unknown>;
  if (typeof value !== 'string' || typeof expiresAt !== 'number') return null;
  if (purpose !== 'registration' && purpose !== 'authentication') return null;
  return { value, purpose, expiresAt };
}

/** `data` without the pending challenge. */
export function withoutChallenge(data: Record<string, unknown>): Record<string, unknown> {
  const { [CHALLENGE_KEY]: _dropped, ...rest } = data;
  return rest;
}

/** A slot kept in memory (one browser step on one node, and tests). */
export function memoryChallengeSlot(): ChallengeSlot {
  let pending: PendingChallenge | null = null;
  return {
    async save(challenge) {
      pending = challenge;
    },
    async take() {
      const taken = pending;
      pending = null;
      return taken;
    },
  };
}

/** A slot kept in a JSON data object that the caller persists (a web session's or transaction's data). */
export function dataChallengeSlot(
  read: () => Promise<Record<string, unknown>>,
  write: (data: Record<string, unknown>) => Promise<void>,
): ChallengeSlot {
  return {
    async save(challenge) {
      await write({ ...(await read()), [CHALLENGE_KEY]: challenge });
    },
    async take() {
      const data = await read();
      const challenge = readChallenge(data);
      if (challenge) await write(withoutChallenge(data));
      return challenge;
    },
  };
}
