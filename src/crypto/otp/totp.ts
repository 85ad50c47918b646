// TOTP time-step computation and code generation (RFC 6238).
import { generateHotp } from './hotp.ts';
import type { TotpOptions } from './types.ts';

/** Returns the RFC 6238 §4.2 time step T = floor((now - T0) / X) for a Unix time in milliseconds. */
export function totpStep(nowMs: number, periodSeconds: number, t0 = 0): bigint {
  if (!Number.isFinite(nowMs)) throw new RangeError(`TOTP time must be a finite number, got ${nowMs}`);
  if (!Number.isInteger(periodSeconds) || periodSeconds <= 0) {
    throw new RangeError(`TOTP period must be a positive integer number of seconds, got ${periodSeconds}`);
  }
  const seconds = Math.floor(nowMs / 1000) - t0;
  return BigInt(Math.floor(seconds / periodSeconds));
}

/** Computes the TOTP code valid at `nowMs` (RFC 6238 §4.2). */
export function generateTotp(secret: Uint8Array, nowMs: number, opts: TotpOptions): string {
  return generateHotp(secret, totpStep(nowMs, opts.period), opts);
}
