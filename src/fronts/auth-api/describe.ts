// Translates core results into Duo's words: device lists, statuses and the messages users read.
import type { Authenticator, AuthTransaction } from '../../core/model.ts';
import { methodForKind } from '../../methods/registry.ts';

export interface DuoDevice {
  device: string;
  type: 'phone' | 'token';
  number: string;
  name: string;
  display_name: string;
  capabilities: string[];
}

/** Preauth's device list: hardware tokens are `token`, everything else a `phone`. */
export function describeDevices(authenticators: Authenticator[]): DuoDevice[] {
  return authenticators.map((authenticator) => {
    const isToken = authenticator.serial !== null;
    return {
      device: authenticator.id,
      type: isToken ? 'token' : 'phone',
      number: '',
      name: authenticator.name,
      display_name: isToken ? `${authenticator.name} (${authenticator.serial})` : authenticator.name,
      capabilities: methodForKind(authenticator.kind)?.capabilities(authenticator) ?? [],
    };
  });
}

export interface DuoStatus {
  result: 'allow' | 'deny' | 'waiting';
  status: string;
  status_msg: string;
}

const ALLOW_MESSAGES: Record<string, [string, string]> = {
  user_bypass: ['bypass', 'Allowing user in bypass mode.'],
  policy_bypass: ['allow', 'Allowed by policy: no second factor required.'],
  before_enforcement: [
    'allow',
    'Allowed: two-factor authentication is not yet required. Please enroll a device.',
  ],
  not_enrolled_allowed: [
    'allow',
    'Allowed: two-factor authentication is not required for users without a device.',
  ],
};

const DENY_MESSAGES: Record<string, string> = {
  invalid_passcode: 'Incorrect passcode. Please try again.',
  user_disabled: 'Your account is disabled.',
  policy_deny: 'Access denied by policy.',
  new_user_denied: 'Access denied: you are not enrolled.',
  not_enrolled: 'Enroll an authentication device to proceed.',
  denied: 'Login request denied.',
};

/** The Duo status triple for a transaction as it stands. */
export function describeStatus(tx: Pick<AuthTransaction, 'state' | 'reason'>): DuoStatus {
  switch (tx.state) {
    case 'allow': {
      const [status, message] = ALLOW_MESSAGES[tx.reason ?? ''] ?? ['allow', 'Success. Logging you in...'];
      return { result: 'allow', status, status_msg: message };
    }
    case 'deny':
      return {
        result: 'deny',
        status: 'deny',
        status_msg: DENY_MESSAGES[tx.reason ?? ''] ?? 'Login request denied.',
      };
    case 'locked_out':
      return {
        result: 'deny',
        status: 'locked_out',
        status_msg: 'Your account is locked out. Contact your help desk.',
      };
    case 'fraud':
      return { result: 'deny', status: 'fraud', status_msg: 'Login request reported as fraud.' };
    case 'timeout':
      return { result: 'deny', status: 'timeout', status_msg: 'Login timed out.' };
    case 'pushed':
      return { result: 'waiting', status: 'pushed', status_msg: 'Pushed a login request to your device...' };
    case 'awaiting_factor':
      return { result: 'waiting', status: 'waiting', status_msg: 'Waiting for a second factor...' };
  }
}
