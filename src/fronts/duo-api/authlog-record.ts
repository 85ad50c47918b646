// One record of Duo's authentication log (v2 shape): the Admin API's log and the Universal Prompt's auth_context.

import type { Location } from '../../core/locate.ts';
import { REASONS } from '../../core/transaction/reasons.ts';

const EMPTY_LOCATION = { city: '', state: '', country: '' };

/** Duo's `isotimestamp`, with microseconds: `2026-11-28T00:29:15.000000+00:00`. */
export function duoIsoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/**
 * Duo's factor name for how a transaction was decided: its factor, and for a passcode the method that accepted it
 * (`bypass`, `hotp`, …) or whether the device was a hardware token.
 */
export function duoFactor(
  factor: string | null,
  passcode: { method?: unknown; hardware?: boolean } = {},
): string {
  switch (factor) {
    case 'push':
      return 'duo_push';
    case 'remembered':
      return 'remembered_device';
    case 'webauthn':
      return 'webauthn_security_key';
    case 'passcode':
      if (passcode.method === 'bypass') return 'bypass_code';
      if (passcode.hardware || passcode.method === 'hotp') return 'hardware_token';
      return 'passcode';
    default:
      return 'not_available';
  }
}

/** Duo's authentication-log reason: an allow's Duo name (reasons.ts), else our reason's own id. */
export function duoLogReason(reason: string | null): string {
  if (reason === null) return '';
  const info = Object.hasOwn(REASONS, reason) ? REASONS[reason as keyof typeof REASONS] : null;
  return info?.duo.logReason ?? reason;
}

export interface AuthLogInput {
  txid: string;
  at: number;
  result: string;
  reason: string;
  factor: string;
  alias: string;
  email: string | null;
  user: { name: string; key: string | null; groups: string[] };
  application: { name: string; key: string } | null;
  deviceName: string | null;
  ip: string | null;
  /** Where `ip` is (GeoIP), when known. */
  location?: Location | null;
}

/** The record, with fields Countersign does not know (endpoint posture, an unknown location) present and empty. */
export function authLogRecord(input: AuthLogInput) {
  return {
    txid: input.txid,
    timestamp: Math.floor(input.at / 1000),
    isotimestamp: duoIsoTimestamp(input.at),
    event_type: 'authentication',
    result: input.result,
    reason: input.reason,
    factor: input.factor,
    alias: input.alias,
    email: input.email,
    ood_software: null,
    user: input.user,
    application: input.application,
    auth_device: { ip: null, location: EMPTY_LOCATION, name: input.deviceName },
    access_device: {
      ip: input.ip,
      location: input.location ?? EMPTY_LOCATION,
      hostname: null,
      epkey: null,
    },
  };
}
