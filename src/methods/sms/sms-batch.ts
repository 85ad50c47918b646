// A batch of texted codes: seven digits each, hashed at rest with the key ring's pepper, all expiring together.
import { newDigits, newId } from '../../core/ids.ts';
import type { SmsPasscode, SmsPasscodePurpose } from '../../core/model.ts';
import { hashCode } from '../../crypto/code-hash.ts';
import type { MethodDeps } from '../method.ts';

/** Digits in a texted code: never the length of a TOTP (6, 8) or bypass (9) code, so none is tried as another. */
export const SMS_CODE_LENGTH = 7;
/** Codes in one sign-in batch: one text holds ten, each usable once. */
export const SMS_BATCH_SIZE = 10;
/** How long a batch stays usable. */
export const SMS_BATCH_TTL_MS = 60 * 60_000;
/** How long a phone-number confirmation code stays usable. */
export const CONFIRM_CODE_TTL_MS = 10 * 60_000;

/** The codes to send (plain, for the text only) and the rows to store (hashed). */
export interface SmsBatch {
  codes: string[];
  rows: SmsPasscode[];
}

/** A new batch of `count` distinct codes for `userId`'s number `phone`, expiring after `ttlMs`. */
export function newSmsBatch(
  deps: MethodDeps,
  input: { userId: string; phone: string; purpose: SmsPasscodePurpose; count: number; ttlMs: number },
): SmsBatch {
  const now = deps.clock.now();
  const codes = new Set<string>();
  while (codes.size < input.count) codes.add(newDigits(deps.random, SMS_CODE_LENGTH));
  const rows = [...codes].map((code) => ({
    id: newId(deps.random, 'SC'),
    userId: input.userId,
    purpose: input.purpose,
    phone: input.phone,
    ...hashCode(deps.ring, deps.random, code),
    expiresAt: now + input.ttlMs,
    createdAt: now,
  }));
  return { codes: [...codes], rows };
}

/** The sign-in text: who sends it, the codes, and that each works once (GSM-7 only: one 160-character segment). */
export function signInText(organization: string, codes: readonly string[]): string {
  return `${organization} passcodes: ${codes.join(' ')}. Each works once.`;
}

/** The confirmation text of a phone number being added. */
export function confirmText(organization: string, code: string): string {
  return `${organization}: ${code} confirms this phone number. If you did not ask for it, ignore this message.`;
}
