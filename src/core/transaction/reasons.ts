// Why a login ended where it did: every reason, with what each front says about it, in one table (docs/reasons.md).
import type { TransactionState } from '../model.ts';

/** What Duo's Auth API says about a transaction with this reason, and the id_token's log reason. */
export interface DuoWords {
  /** `status` of /auth and /auth_status. */
  status: string;
  /** `status_msg` of /preauth, /auth and /auth_status. */
  statusMsg: string;
  /** `auth_context.reason` of a Universal id_token (Duo's authentication-log name); null for no allow. */
  logReason: string | null;
}

export interface ReasonInfo {
  /**
   * The states a transaction is moved to with this reason. Empty: no move sets it (a RADIUS outcome that no
   * transaction stores, or the stand-in for a stored reason this version does not know).
   */
  states: readonly TransactionState[];
  /** After a refusal for this reason, may the user simply try again (a new transaction in the same flow)? */
  retryable: boolean;
  /** True when an allow for this reason proves a factor the user holds (a bypass or remembered browser does not). */
  provesFactor: boolean;
  /** A few words for lists: the portal's recent sign-ins. */
  label: string;
  /**
   * What the user reads (prompt notices and messages, portal step-up), in plain words and never a detail that
   * helps an attacker. `{application}` stands for the application's name.
   */
  words: string;
  duo: DuoWords;
  /** RADIUS Reply-Message of a reject; null for none (an accept; a challenge's prompt is chosen by the mode). */
  radius: string | null;
}

/** Disabled, locked out, refused as a new user: the same words, so nothing tells these apart. */
const CANNOT_SIGN_IN =
  'This account cannot be used to sign in here. Contact your help desk if you need access.';
/** RADIUS rejects must not reveal which part failed. */
const RADIUS_REJECT = 'Login failed. Check your password and your second factor, or contact your help desk.';
const RADIUS_ENROLL = 'Enroll a device first: ask your help desk for an activation link.';
const DUO_SUCCESS = 'Success. Logging you in...';
const DUO_DENIED = 'Login request denied.';

const FINAL_DENY = { states: ['deny'], retryable: false, provesFactor: false } as const;
const RETRY_DENY = { states: ['deny'], retryable: true, provesFactor: false } as const;
const ALLOW = { states: ['allow'], retryable: false } as const;
/** Outcomes of the RADIUS front that no transaction stores (the audit log records them). */
const RADIUS_ONLY = { states: [], retryable: false, provesFactor: false } as const;
const denyWords = (statusMsg: string) => ({ status: 'deny', statusMsg, logReason: null }) as const;

export const REASONS = {
  // Allowed: by a factor, by a remembered browser, or by policy without one.
  user_approved: {
    ...ALLOW,
    provesFactor: true,
    label: 'Approved on the device',
    words: 'The request was approved on your device.',
    duo: { status: 'allow', statusMsg: DUO_SUCCESS, logReason: 'user_approved' },
    radius: null,
  },
  valid_passcode: {
    ...ALLOW,
    provesFactor: true,
    label: 'Passcode',
    words: 'The passcode was accepted.',
    duo: { status: 'allow', statusMsg: DUO_SUCCESS, logReason: 'valid_passcode' },
    radius: null,
  },
  valid_webauthn: {
    ...ALLOW,
    provesFactor: true,
    label: 'Security key',
    words: 'The security key was verified.',
    duo: { status: 'allow', statusMsg: DUO_SUCCESS, logReason: 'valid_webauthn_credential' },
    radius: null,
  },
  remembered: {
    ...ALLOW,
    provesFactor: false,
    label: 'Remembered browser',
    words: 'This browser is remembered, so no second factor was needed.',
    duo: { status: 'allow', statusMsg: DUO_SUCCESS, logReason: 'remembered_device' },
    radius: null,
  },
  user_bypass: {
    ...ALLOW,
    provesFactor: false,
    label: 'Bypass (no second factor)',
    words: 'Your account is allowed in without a second factor for now.',
    duo: { status: 'bypass', statusMsg: 'Allowing user in bypass mode.', logReason: 'bypass_user' },
    radius: null,
  },
  policy_bypass: {
    ...ALLOW,
    provesFactor: false,
    label: 'Allowed by policy',
    words: "Your organization's policy lets you sign in to {application} without a second factor.",
    duo: {
      status: 'allow',
      statusMsg: 'Allowed by policy: no second factor required.',
      logReason: 'allowed_by_policy',
    },
    radius: null,
  },
  not_enrolled_allowed: {
    ...ALLOW,
    provesFactor: false,
    label: 'Allowed without a device',
    words: 'You have no second factor yet, and your organization allows that for now.',
    duo: {
      status: 'allow',
      statusMsg: 'Allowed: two-factor authentication is not required for users without a device.',
      logReason: 'allow_unenrolled_user',
    },
    radius: null,
  },
  before_enforcement: {
    ...ALLOW,
    provesFactor: false,
    label: 'Allowed before enforcement',
    words: 'A second factor is not required yet. Add a phone or a security key soon.',
    duo: {
      status: 'allow',
      statusMsg: 'Allowed: two-factor authentication is not yet required. Please enroll a device.',
      logReason: 'allow_unenrolled_user',
    },
    radius: null,
  },

  // Waiting for the answer on the phone.
  pushed: {
    states: ['pushed'],
    retryable: false,
    provesFactor: false,
    label: 'Request sent',
    words: 'A request was sent to your device.',
    duo: { status: 'pushed', statusMsg: 'Pushed a login request to your device...', logReason: null },
    radius: null,
  },

  // Waiting for a keypress on a phone call (a call is decided like a push).
  calling: {
    states: ['pushed'],
    retryable: false,
    provesFactor: false,
    label: 'Calling',
    words: 'Your phone is being called.',
    duo: { status: 'calling', statusMsg: 'Calling your phone...', logReason: null },
    radius: null,
  },

  // Refused by the access decision: nothing the user can retry.
  user_disabled: {
    ...FINAL_DENY,
    label: 'Account disabled',
    words: CANNOT_SIGN_IN,
    duo: denyWords('Your account is disabled.'),
    radius: RADIUS_REJECT,
  },
  policy_deny: {
    ...FINAL_DENY,
    label: 'Denied by policy',
    words:
      "Your organization's policy does not allow signing in to {application}. Contact your help desk if you need access.",
    duo: denyWords('Access denied by policy.'),
    radius: RADIUS_REJECT,
  },
  new_user_denied: {
    ...FINAL_DENY,
    label: 'New users not allowed',
    words: CANNOT_SIGN_IN,
    duo: denyWords('Access denied: you are not enrolled.'),
    radius: RADIUS_REJECT,
  },
  not_enrolled: {
    ...FINAL_DENY,
    label: 'No device set up',
    words: 'Add a phone or a security key before you sign in.',
    duo: denyWords('Enroll an authentication device to proceed.'),
    radius: RADIUS_ENROLL,
  },
  locked_out: {
    states: ['locked_out'],
    retryable: false,
    provesFactor: false,
    label: 'Locked out',
    words: CANNOT_SIGN_IN,
    duo: {
      status: 'locked_out',
      statusMsg: 'Your account is locked out. Contact your help desk.',
      logReason: null,
    },
    radius: RADIUS_REJECT,
  },

  // A factor that failed: the user may try again, or choose another option.
  invalid_passcode: {
    ...RETRY_DENY,
    label: 'Wrong passcode',
    words: 'That passcode is not correct. Try again.',
    duo: denyWords('Incorrect passcode. Please try again.'),
    radius: RADIUS_REJECT,
  },
  invalid_webauthn: {
    ...RETRY_DENY,
    label: 'Security key not verified',
    words: 'That security key could not be verified. Try again or choose another option.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  denied: {
    ...RETRY_DENY,
    label: 'Denied on the device',
    words: 'The request was denied on your device.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  wrong_code: {
    ...RETRY_DENY,
    label: 'Wrong number on the device',
    words: 'The number entered on your device did not match. Send a new request to try again.',
    duo: denyWords('Incorrect verification code. Login request denied.'),
    radius: RADIUS_REJECT,
  },
  timeout: {
    states: ['timeout'],
    retryable: true,
    provesFactor: false,
    label: 'Timed out',
    words: 'The request timed out. Try again.',
    duo: { status: 'timeout', statusMsg: 'Login timed out.', logReason: null },
    radius: RADIUS_REJECT,
  },
  fraud_reported: {
    states: ['fraud'],
    retryable: false,
    provesFactor: false,
    label: 'Reported as fraud',
    words: 'You reported this request as fraud. Your help desk has been told. No one was signed in.',
    duo: { status: 'fraud', statusMsg: 'Login request reported as fraud.', logReason: null },
    radius: RADIUS_REJECT,
  },

  // A push refused before it went out (push-limits.ts): another option, or later, still works.
  push_outstanding: {
    ...RETRY_DENY,
    label: 'A request was already waiting',
    words: 'A request is already waiting on your device. Answer it, or try again in a minute.',
    duo: denyWords('A login request is already waiting on your device.'),
    radius: RADIUS_REJECT,
  },
  push_limit: {
    ...RETRY_DENY,
    label: 'Too many requests',
    words: 'Too many requests were sent. Wait a few minutes, or use another option.',
    duo: denyWords('Too many login requests. Try again later or use a passcode.'),
    radius: RADIUS_REJECT,
  },
  fraud_pause: {
    ...RETRY_DENY,
    label: 'Requests paused after a fraud report',
    words: 'Requests to your device are paused for now. Use another option or contact your help desk.',
    duo: denyWords(
      'Login requests are paused after a fraud report. Use a passcode or contact your help desk.',
    ),
    radius: RADIUS_REJECT,
  },
  recent_denial: {
    ...RETRY_DENY,
    label: 'Automatic request paused after a denial',
    words: 'Automatic requests are paused after a denial. Send one yourself, or use another option.',
    duo: denyWords('You recently denied a login request. Choose a method explicitly.'),
    radius: RADIUS_REJECT,
  },
  // Text messages and calls (issue 13): codes sent, a call nobody answered, a send telephony refused.
  sms_sent: {
    ...RETRY_DENY,
    label: 'Codes sent by text message',
    words: 'New codes were sent to your phone by text message. Enter one of them.',
    duo: { status: 'sent', statusMsg: 'New SMS passcodes sent.', logReason: null },
    radius: 'New SMS passcodes sent. Sign in again with your password and one of the codes.',
  },
  call_unanswered: {
    ...RETRY_DENY,
    label: 'Call not answered',
    words: 'The call ended without an answer. Try again, or use another option.',
    duo: denyWords('The call was not answered. Login request denied.'),
    radius: RADIUS_REJECT,
  },
  telephony_limited: {
    ...RETRY_DENY,
    label: 'Too many texts or calls',
    words: 'Too many text messages or calls were sent. Wait a while, or use another option.',
    duo: denyWords('Too many text messages or calls. Try again later or use another option.'),
    radius: 'Too many text messages or calls. Try again later or use another option.',
  },
  telephony_failed: {
    ...RETRY_DENY,
    label: 'Text or call not sent',
    words: 'The text message or call could not be sent. Try again, or use another option.',
    duo: denyWords('The text message or call could not be sent. Try again later.'),
    radius: RADIUS_REJECT,
  },

  // A push that could not be sent at all (RADIUS ends its transaction this way).
  no_capable_device: {
    ...FINAL_DENY,
    label: 'No device for a push',
    words: 'None of your devices can receive a request. Use a passcode instead.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  factor_not_allowed: {
    ...FINAL_DENY,
    label: 'Push not allowed',
    words: 'Requests to your device are not allowed here. Use a passcode instead.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },

  // RADIUS outcomes that no transaction stores.
  challenge: {
    ...RADIUS_ONLY,
    label: 'Second factor asked for',
    words: 'Enter a passcode, or ask for a request to your device.',
    duo: { status: 'waiting', statusMsg: 'Waiting for a second factor...', logReason: null },
    radius: null,
  },
  bad_password: {
    ...RADIUS_ONLY,
    label: 'Wrong username or password',
    words: 'The username or password is not correct.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  directory_unavailable: {
    ...RADIUS_ONLY,
    label: 'Directory unavailable',
    words: 'Your password cannot be checked right now. Try again later.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  unknown_user: {
    ...RADIUS_ONLY,
    label: 'Unknown user, asked to enroll',
    words: 'Add a phone or a security key before you sign in.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_ENROLL,
  },
  missing_username: {
    ...RADIUS_ONLY,
    label: 'No username',
    words: 'Enter your username.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  invalid_username: {
    ...RADIUS_ONLY,
    label: 'Username not valid',
    words: 'That username is not valid.',
    duo: denyWords(DUO_DENIED),
    radius: 'The username is not valid.',
  },
  no_user_password: {
    ...RADIUS_ONLY,
    label: 'No password sent',
    words: 'The system you are signing in to sent no password. Contact your help desk.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  application_missing: {
    ...RADIUS_ONLY,
    label: 'Not set up',
    words: 'This sign-in is not set up correctly. Contact your help desk.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  factor_not_enabled: {
    ...RADIUS_ONLY,
    label: 'Phone and SMS not enabled',
    words: 'Phone calls and SMS are not enabled here. Use a passcode or a request to your device.',
    duo: denyWords(DUO_DENIED),
    radius: 'Phone calls and SMS are not enabled here. Use a passcode or push.',
  },
  invalid_state: {
    ...RADIUS_ONLY,
    label: 'Answer to an unknown request',
    words: 'This sign-in request is not valid. Start again.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  state_expired: {
    ...RADIUS_ONLY,
    label: 'Answer too late',
    words: 'This sign-in request expired. Start again.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
  state_reused: {
    ...RADIUS_ONLY,
    label: 'Request already answered',
    words: 'This sign-in request was already answered. Start again.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },

  // The stand-in for a stored reason this version does not know (see parseReason): refuses, proves nothing.
  unknown_reason: {
    states: [],
    retryable: false,
    provesFactor: false,
    label: 'Unknown outcome',
    words: 'This sign-in did not go through. Contact your help desk if it keeps happening.',
    duo: denyWords(DUO_DENIED),
    radius: RADIUS_REJECT,
  },
} as const satisfies Record<string, ReasonInfo>;

/** Every reason a login can end with or carry; a misspelt one is a compile error. */
export type Reason = keyof typeof REASONS;

/** The reasons a transaction may be moved to state `S` with. */
export type ReasonFor<S extends TransactionState> = {
  [R in Reason]: S extends (typeof REASONS)[R]['states'][number] ? R : never;
}[Reason];

/** True when `value` names a reason of the table. */
export function isReason(value: unknown): value is Reason {
  return typeof value === 'string' && Object.hasOwn(REASONS, value);
}

/**
 * A reason read back from storage: itself when known, `unknown_reason` otherwise (a newer version's reason, a
 * hand-edited row), so no front can fail on it. `onUnknown` is told about the value so it can be logged.
 */
export function parseReason(value: string | null, onUnknown: (value: string) => void): Reason | null {
  if (value === null || isReason(value)) return value;
  onUnknown(value);
  return 'unknown_reason';
}

/** The user's words for `reason`, with the application's name filled in. */
export function reasonWords(reason: Reason, application = 'this application'): string {
  return REASONS[reason].words.replaceAll('{application}', application);
}
