// The Node device client: fetch pending logins, answer them with signed decisions, offline passcodes, live events.
import type {
  AnswerRequest,
  AnswerResponse,
  Decision,
  DeviceEvent,
  PendingRequest,
} from '../device-protocol/messages.ts';
import { currentPasscode, secondsLeft } from '../device-protocol/passcode.ts';
import { answerSigningString, type DeviceKey, signText } from '../device-protocol/signing.ts';
import { type DeviceAccount, importSigningKey } from './account.ts';
import { type DeviceSession, signedCall } from './http.ts';
import { openEventStream } from './live-events.ts';

export interface DeviceClientOptions {
  /** Signing times come from here (default the wall clock); tests pass the server's manual clock. */
  clock?: { now(): number };
  fetch?: typeof fetch;
}

export interface DeviceClient {
  readonly account: DeviceAccount;
  /** The logins waiting for this device's answer. */
  pending(): Promise<PendingRequest[]>;
  /** Approves; `code` is the verified-push number shown on the login screen, when one was asked. */
  approve(txid: string, code?: string): Promise<AnswerResponse['state']>;
  /** Denies; `fraud: true` reports the request as fraudulent. */
  deny(txid: string, options?: { fraud?: boolean }): Promise<AnswerResponse['state']>;
  /** The offline passcode at `nowMs` and how many seconds it has left. */
  passcode(nowMs: number): Promise<{ passcode: string; secondsLeft: number }>;
  /** Streams live events until the server closes the stream or `signal` aborts; `onOpen` once connected. */
  events(onEvent: (event: DeviceEvent) => void, signal: AbortSignal, onOpen?: () => void): Promise<void>;
}

/** Builds the signed answer body the server expects (exported for tests that forge or replay answers). */
export async function signAnswer(
  key: DeviceKey,
  txid: string,
  decision: Decision,
  code: string,
  signedAt: number,
): Promise<AnswerRequest> {
  const signature = await signText(key, answerSigningString(txid, decision, code, signedAt));
  return { decision, code, signedAt, signature };
}

/** Creates a client for an activated account. */
export function createDeviceClient(account: DeviceAccount, options: DeviceClientOptions = {}): DeviceClient {
  const clock = options.clock ?? { now: () => Date.now() };
  const fetchImpl = options.fetch ?? fetch;
  let key: Promise<DeviceKey> | undefined;
  const session = async (): Promise<DeviceSession> => {
    key ??= importSigningKey(account);
    return {
      serverUrl: account.serverUrl,
      deviceId: account.deviceId,
      key: await key,
      clock,
      fetch: fetchImpl,
    };
  };
  const answer = async (txid: string, decision: Decision, code: string) => {
    const current = await session();
    const body = JSON.stringify(await signAnswer(current.key, txid, decision, code, clock.now()));
    const route = `/requests/${encodeURIComponent(txid)}/answer`;
    return (await signedCall<AnswerResponse>(current, 'POST', route, body)).state;
  };
  return {
    account,
    pending: async () =>
      (await signedCall<{ requests: PendingRequest[] }>(await session(), 'GET', '/requests')).requests,
    approve: (txid, code = '') => answer(txid, 'approve', code),
    deny: (txid, denyOptions = {}) => answer(txid, denyOptions.fraud ? 'fraud' : 'deny', ''),
    async passcode(nowMs) {
      const { secret, digits, period, algorithm } = account.totp;
      return {
        passcode: await currentPasscode(secret, nowMs, { digits, period, algorithm }),
        secondsLeft: secondsLeft(nowMs, period),
      };
    },
    events: async (onEvent, signal, onOpen) => openEventStream(await session(), onEvent, signal, onOpen),
  };
}
