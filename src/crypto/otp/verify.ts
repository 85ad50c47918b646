// Verification of user-entered HOTP/TOTP codes: look-ahead, clock-drift window, replay guard, resync.
import { createSecretKey, timingSafeEqual } from 'node:crypto';
import { generateHotp, MAX_HOTP_COUNTER } from './hotp.ts';
import { totpStep } from './totp.ts';
import type { HotpOptions } from './types.ts';

/** Input for matchHotp; `counter` is the next counter the server expects. */
export interface MatchHotpInput extends HotpOptions {
  secret: Uint8Array;
  counter: bigint;
  code: string;
  lookAhead?: number;
}

/** Input for matchTotp; steps `<= lastUsedStep` are refused as replays. */
export interface MatchTotpInput extends HotpOptions {
  secret: Uint8Array;
  nowMs: number;
  code: string;
  period: number;
  window?: number;
  lastUsedStep: bigint | null;
}

/** Input for resyncHotp: two or more consecutive codes read off the token. */
export interface ResyncHotpInput extends HotpOptions {
  secret: Uint8Array;
  counter: bigint;
  codes: string[];
  searchWindow?: number;
}

/** Compares two codes in constant time (for equal lengths); unequal lengths never match. */
export function codesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

function checkNonNegativeInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Finds `code` among HOTP(counter) … HOTP(counter + lookAhead) (RFC 4226 §7.4 look-ahead window).
 * Returns the matching counter (store matched + 1 as the next counter), or null.
 */
export function matchHotp(input: MatchHotpInput): bigint | null {
  const lookAhead = input.lookAhead ?? 10;
  checkNonNegativeInteger('lookAhead', lookAhead);
  const key = createSecretKey(input.secret);
  // A wrong code is compared with every candidate; the search stops at a match, which only the holder of a right
  // code can time, and the answer tells them it was right anyway. A token in step matches the first candidate:
  // one HMAC instead of 11 on every RADIUS token login (bench/README.md).
  for (let i = 0n; i <= BigInt(lookAhead); i++) {
    const candidate = input.counter + i;
    if (candidate > MAX_HOTP_COUNTER) break;
    if (codesEqual(generateHotp(key, candidate, input), input.code)) return candidate;
  }
  return null;
}

/** Time-step offsets in the order they are tried: 0, -1, +1, -2, +2, … so ties go to the nearest. */
function stepOffsets(window: number): number[] {
  const offsets = [0];
  for (let d = 1; d <= window; d++) offsets.push(-d, d);
  return offsets;
}

/**
 * Checks a TOTP code against the current step and `window` steps each side (RFC 6238 §5.2).
 * Returns the matched time step, or null. A step `<= lastUsedStep` is never accepted, so each code
 * is accepted at most once (NIST SP 800-63B §5.1.4.2).
 */
export function matchTotp(input: MatchTotpInput): bigint | null {
  const window = input.window ?? 1;
  checkNonNegativeInteger('window', window);
  const current = totpStep(input.nowMs, input.period);
  const key = createSecretKey(input.secret);
  // Nearest step first, stopping at a match (as matchHotp: only a right code ends the search early).
  for (const offset of stepOffsets(window)) {
    const step = current + BigInt(offset);
    if (step < 0n) continue;
    if (input.lastUsedStep !== null && step <= input.lastUsedStep) continue;
    if (codesEqual(generateHotp(key, step, input), input.code)) return step;
  }
  return null;
}

/**
 * Re-synchronises a drifted HOTP token (RFC 4226 §7.4): finds the first position p in
 * [counter, counter + searchWindow] with codes[i] == HOTP(p + i) for every i.
 * Returns the new next counter p + codes.length, or null when no position fits.
 */
export function resyncHotp(input: ResyncHotpInput): bigint | null {
  const searchWindow = input.searchWindow ?? 1000;
  checkNonNegativeInteger('searchWindow', searchWindow);
  const n = input.codes.length;
  if (n < 2) throw new RangeError(`resyncHotp needs at least 2 consecutive codes, got ${n}`);
  // Sliding window of generated codes, so each counter value is hashed once.
  const generated: string[] = [];
  const key = createSecretKey(input.secret);
  const end = input.counter + BigInt(searchWindow) + BigInt(n - 1);
  const last = end < MAX_HOTP_COUNTER ? end : MAX_HOTP_COUNTER;
  for (let c = input.counter; c <= last; c++) {
    generated.push(generateHotp(key, c, input));
    if (generated.length < n) continue;
    if (generated.length > n) generated.shift();
    if (input.codes.every((code, i) => codesEqual(generated[i]!, code))) {
      const p = c - BigInt(n - 1);
      return p + BigInt(n);
    }
  }
  return null;
}
