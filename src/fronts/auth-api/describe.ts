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

/** duo_unix's menu (`prompt.text` and `prompt.factors`): one push entry per Authenticator app. */
export function describePrompt(
  username: string,
  devices: DuoDevice[],
): { text: string; factors: Record<string, string> } {
  const pushDevices = devices.filter((device) => device.capabilities.includes('push'));
  const factors: Record<string, string> = {};
  const lines = pushDevices.map((device, index) => {
    factors[String(index + 1)] = `push${index + 1}`;
    return ` ${index + 1}. Push to ${device.display_name}`;
  });
  if (pushDevices.length > 0) factors.default = 'push1';
  const range = pushDevices.length > 0 ? ` or option (1-${pushDevices.length})` : '';
  const text = [
    `Countersign login for ${username}`,
    '',
    ...(lines.length > 0 ? ['Choose or enter a passcode:', '', ...lines, ''] : []),
    `Passcode${range}: `,
  ].join('\n');
  return { text, factors };
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
  wrong_code: 'Incorrect verification code. Login request denied.',
  push_outstanding: 'A login request is already waiting on your device.',
  push_limit: 'Too many login requests. Try again later or use a passcode.',
  fraud_pause: 'Login requests are paused after a fraud report. Use a passcode or contact your help desk.',
  recent_denial: 'You recently denied a login request. Choose a method explicitly.',
};

/** The Duo status triple for a transaction as it stands. */
export function describeStatus(
  tx: Pick<AuthTransaction, 'state' | 'reason'> & { data?: AuthTransaction['data'] },
): DuoStatus {
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
    case 'pushed': {
      const code = (tx.data?.push as { code?: string | null } | undefined)?.code;
      const status_msg = code
        ? `Please enter verification code ${code} into the Countersign Authenticator...`
        : 'Pushed a login request to your device...';
      return { result: 'waiting', status: 'pushed', status_msg };
    }
    case 'awaiting_factor':
      return { result: 'waiting', status: 'waiting', status_msg: 'Waiting for a second factor...' };
  }
}
