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
  pushTimeoutSeconds: 60,
  verifiedPush: true,
  verifiedPushDigits: 3,
  pushLimit: 5,
  pushLimitWindowMinutes: 10,
  denialCooldownMinutes: 5,
  fraudPauseMinutes: 20,
  rememberScope: 'shared',
  userVerification: 'preferred',
};

/** SECURITY.md: a push never waits more than 10 minutes. */
export const MAX_PUSH_TIMEOUT_SECONDS = 600;

/** NIST 800-63B §5.2.2: never more than 100 consecutive failed attempts. */
export const MAX_LOCKOUT_THRESHOLD = 100;
