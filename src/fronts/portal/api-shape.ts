// The portal API's answers, shared by the server and the page (types only: the page bundles nothing of ours).
import type { AuthenticatorKind } from '../../core/model.ts';
import type { UserPrefs } from '../../core/web/user-prefs.ts';
import type { StepUpMethod } from './step-up-methods.ts';

export type { StepUpMethod } from './step-up-methods.ts';

/** GET /session: who is signed in and what the page may offer. */
export interface SessionInfo {
  signedIn: boolean;
  organization: string;
  csrf?: string;
  scope?: 'full' | 'enroll';
  returnTo?: string | null;
  user?: { username: string; realName: string | null; email: string | null };
  hasFactor?: boolean;
  needsSecondFactor?: boolean;
  canChangeFactors?: boolean;
  stepUpMethods?: StepUpMethod[];
}

/** One of the user's sign-in methods. */
export interface DeviceView {
  id: string;
  kind: AuthenticatorKind;
  name: string;
  hardware: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

/** GET /devices. */
export interface DeviceList {
  devices: DeviceView[];
  backupCodes: number;
  prefs: UserPrefs;
  phoneEnabled: boolean;
}

/** One row of GET /sign-ins. */
export interface SignInView {
  application: string | null;
  at: number;
  result: string | null;
  factor: string | null;
  reason: string | null;
  /** The server's words for how it ended (its reason's label). */
  outcome: string;
  ip: string | null;
}

/** A step-up answer: done with ok or a message, or still waiting at `version`. */
export interface StepUpOutcome {
  done: boolean;
  ok: boolean;
  message?: string;
  version?: number;
}

/** POST /step-up/start for a push: the verified-push number to show, and the version to wait past. */
export interface StepUpPushStarted {
  method: 'push';
  verificationCode: string | null;
  version: number;
}

/** POST /enroll/authenticator: the activation link and its QR code. */
export interface ActivationLinkView {
  link: string;
  qr: string;
  expiresAt: number;
}

/** GET /enroll/authenticator/status. */
export interface ActivationStatusView {
  status: 'none' | 'waiting' | 'activated' | 'expired';
}

/** POST /enroll/totp/start. */
export interface TotpStartView {
  uri: string;
  qr: string;
  secret: string;
}
