// The global policy defaults, documented in docs/policy.md: every layer overrides these field by field.
import type { Policy } from '../model.ts';

export const DEFAULT_POLICY: Policy = {
  newUserPolicy: 'require-enrollment',
  authPolicy: 'enforce',
  allowedMethods: ['push', 'totp', 'hotp', 'webauthn', 'bypass'],
  rememberHours: 12,
  enforcementDate: null,
  lockoutThreshold: 10,
  autoUnlockMinutes: null,
};

/** NIST 800-63B §5.2.2: never more than 100 consecutive failed attempts. */
export const MAX_LOCKOUT_THRESHOLD = 100;
