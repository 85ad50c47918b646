// Translates core results into Duo's words: device lists, statuses and the messages users read.
import type { Authenticator, AuthTransaction } from '../../core/model.ts';
import { REASONS, type Reason, type ReasonInfo } from '../../core/transaction/index.ts';
import { maskedNumber, phoneNumberOf } from '../../methods/phone/phone-device.ts';
import { methodForKind } from '../../methods/registry.ts';

export interface DuoDevice {
  device: string;
  type: 'phone' | 'token';
  number: string;
  name: string;
  display_name: string;
  capabilities: string[];
}

/**
 * What telephony can do on this server (nothing until enabled; calls only with a provider that places them), and
 * the methods policy allows the user.
 */
export interface TelephonyAbility {
  enabled: boolean;
  canCall: boolean;
  allowedMethods: readonly string[];
}

const NO_TELEPHONY: TelephonyAbility = { enabled: false, canCall: false, allowedMethods: [] };

/** What a confirmed phone number can do here: calls and texts, as telephony and policy allow. */
function phoneCapabilities(telephony: TelephonyAbility): string[] {
  const allowed = (method: string) => telephony.allowedMethods.includes(method);
  return [
    ...(telephony.canCall && allowed('phone') ? ['phone'] : []),
    ...(telephony.enabled && allowed('sms') ? ['sms'] : []),
  ];
}

/**
 * Preauth's device list: hardware tokens are `token`, everything else a `phone`. A phone number is listed (its
 * number masked as Duo does) only while telephony can reach it.
 */
export function describeDevices(
  authenticators: Authenticator[],
  telephony: TelephonyAbility = NO_TELEPHONY,
): DuoDevice[] {
  return authenticators.flatMap((authenticator): DuoDevice[] => {
    const number = phoneNumberOf(authenticator);
    if (number !== null) {
      const capabilities = phoneCapabilities(telephony);
      if (capabilities.length === 0) return [];
      const masked = maskedNumber(number);
      return [
        {
          device: authenticator.id,
          type: 'phone',
          number: masked,
          name: authenticator.name,
          display_name: `${authenticator.name} (${masked})`,
          capabilities,
        },
      ];
    }
    const isToken = authenticator.serial !== null;
    return [
      {
        device: authenticator.id,
        type: isToken ? 'token' : 'phone',
        number: '',
        name: authenticator.name,
        display_name: isToken ? `${authenticator.name} (${authenticator.serial})` : authenticator.name,
        capabilities: methodForKind(authenticator.kind)?.capabilities(authenticator) ?? [],
      },
    ];
  });
}

/**
 * duo_unix's menu (`prompt.text` and `prompt.factors`): one push entry per Authenticator app, then a call and a
 * text entry per phone number (`phone1`, `sms1`, numbered among the phone numbers).
 */
export function describePrompt(
  username: string,
  devices: DuoDevice[],
): { text: string; factors: Record<string, string> } {
  const pushDevices = devices.filter((device) => device.capabilities.includes('push'));
  const phones = devices.filter((device) => device.number !== '');
  const entries: Array<{ token: string; line: string }> = pushDevices.map((device, index) => ({
    token: `push${index + 1}`,
    line: `Push to ${device.display_name}`,
  }));
  phones.forEach((device, index) => {
    if (device.capabilities.includes('phone'))
      entries.push({ token: `phone${index + 1}`, line: `Phone call to ${device.number}` });
    if (device.capabilities.includes('sms'))
      entries.push({ token: `sms${index + 1}`, line: `SMS passcodes to ${device.number}` });
  });
  const factors: Record<string, string> = {};
  const lines = entries.map((entry, index) => {
    factors[String(index + 1)] = entry.token;
    return ` ${index + 1}. ${entry.line}`;
  });
  if (entries.length > 0) factors.default = entries[0]!.token;
  const range = entries.length > 0 ? ` or option (1-${entries.length})` : '';
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

/**
 * Duo's status and status_msg for `tx`'s reason (core/transaction/reasons.ts), or for `plain` when the reason does
 * not belong to the transaction's state: preauth describes a locked-out user as refused, not as locked out by
 * this call, and a stored reason this version does not know reads as its state's plain words.
 */
function duoWords(tx: Pick<AuthTransaction, 'state' | 'reason'>, plain: Reason): Omit<DuoStatus, 'result'> {
  const info: ReasonInfo | null = tx.reason === null ? null : REASONS[tx.reason];
  const { status, statusMsg } = (info?.states.includes(tx.state) ? info : REASONS[plain]).duo;
  return { status, status_msg: statusMsg };
}

/** The Duo status triple for a transaction as it stands. */
export function describeStatus(
  tx: Pick<AuthTransaction, 'state' | 'reason'> & { data?: AuthTransaction['data'] },
): DuoStatus {
  switch (tx.state) {
    case 'allow':
      return { result: 'allow', ...duoWords(tx, 'user_approved') };
    case 'deny':
      return { result: 'deny', ...duoWords(tx, 'unknown_reason') };
    case 'locked_out':
      return { result: 'deny', ...duoWords(tx, 'locked_out') };
    case 'fraud':
      return { result: 'deny', ...duoWords(tx, 'fraud_reported') };
    case 'timeout':
      return { result: 'deny', ...duoWords(tx, 'timeout') };
    case 'pushed': {
      if (tx.reason === 'calling')
        return { result: 'waiting', status: 'calling', status_msg: REASONS.calling.duo.statusMsg };
      const code = (tx.data?.push as { code?: string | null } | undefined)?.code;
      const status_msg = code
        ? `Please enter verification code ${code} into the Countersign Authenticator...`
        : REASONS.pushed.duo.statusMsg;
      return { result: 'waiting', status: 'pushed', status_msg };
    }
    case 'awaiting_factor':
      return { result: 'waiting', status: 'waiting', status_msg: 'Waiting for a second factor...' };
  }
}
