// One interface for every SMS and voice provider (Twilio, Kannel, an HTTP webhook, the development outbox).

/** A text message to send. */
export interface SmsMessage {
  /** Countersign's id for it (the telephony log's id); providers echo it in callbacks. */
  id: string;
  /** E.164: `+` and up to 15 digits. */
  to: string;
  text: string;
}

/** What a call says: whose sign-in, to what; the keypress is gathered by the provider. */
export interface CallScript {
  organization: string;
  application: string;
}

/** A voice call that reads `script` and gathers one keypress (1 approves, 9 reports fraud). */
export interface VoiceCall {
  id: string;
  to: string;
  script: CallScript;
}

/** What a provider answered when it accepted a message or call. */
export interface ProviderReceipt {
  /** The provider's own id (Twilio's SID), when it gives one. */
  providerRef: string | null;
}

/** What the person pressed, as the core reads it. */
export type KeypressOutcome = 'approve' | 'fraud' | 'other';

/** How a call ended, in Twilio's words (other providers map onto them). */
export type CallStatus = 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/** Results that come back after the send: a keypress, a call's end, a message's delivery. */
export type TelephonyEvent =
  | { type: 'keypress'; callId: string; providerRef: string | null; digit: string; outcome: KeypressOutcome }
  | {
      type: 'call-status';
      callId: string;
      providerRef: string | null;
      status: CallStatus;
      durationSeconds: number | null;
    }
  | {
      type: 'sms-status';
      messageId: string;
      providerRef: string | null;
      status: 'sent' | 'delivered' | 'undelivered' | 'failed';
    };

/** The keypress of a sign-in call. */
export type KeypressEvent = Extract<TelephonyEvent, { type: 'keypress' }>;

/** The providers Countersign knows, by their configuration name. */
export const PROVIDER_NAMES = ['outbox', 'twilio', 'kannel', 'webhook'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Sends SMS and places calls; rejects with TelephonyProviderError. */
export interface TelephonyProvider {
  readonly name: ProviderName;
  /** Whether it can place voice calls (Kannel cannot; a webhook only with a call template). */
  readonly canCall: boolean;
  sendSms(message: SmsMessage): Promise<ProviderReceipt>;
  placeCall(call: VoiceCall): Promise<ProviderReceipt>;
}

/** A provider that refused or could not be reached; the message says which and why (no secrets in it). */
export class TelephonyProviderError extends Error {
  override name = 'TelephonyProviderError';
  /** The provider's HTTP status, when there was an answer. */
  readonly status: number | null;

  constructor(message: string, status: number | null = null, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}
