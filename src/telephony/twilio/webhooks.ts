// Twilio's callbacks (keypress, call status, SMS status): signature checked, turned into TelephonyEvents, answered.
import type { CallReply } from '../call-script.ts';
import { keypressOutcome } from '../call-script.ts';
import type { CallStatus, TelephonyEvent } from '../provider.ts';
import { formParams, verifyTwilioSignature } from './signature.ts';
import { TWILIO_WEBHOOK_PATHS } from './twilio-provider.ts';
import { emptyTwiml, replyTwiml } from './twiml.ts';

/** A request as it reached the server. */
export interface TwilioWebhookRequest {
  /** The full URL Twilio requested: the configured callback base, then the path and query exactly as received. */
  url: string;
  /** The X-Twilio-Signature header. */
  signature: string | undefined;
  /** The raw `application/x-www-form-urlencoded` body. */
  body: string;
}

/** What to answer Twilio. */
export interface TwilioWebhookReply {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Hands a verified event to the core; for a keypress it returns what the call should say (the core knows
 * whether the sign-in was still waiting: 'ended' when it was not).
 */
export type TwilioEventHandler = (event: TelephonyEvent) => Promise<CallReply | undefined>;

const CALL_ENDS: readonly CallStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
const SMS_STATUSES = ['sent', 'delivered', 'undelivered', 'failed'] as const;

const text = (status: number, body: string): TwilioWebhookReply => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body,
});
const twiml = (body: string): TwilioWebhookReply => ({ status: 200, contentType: 'text/xml', body });

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/** The event a verified callback stands for, or null when it reports nothing the core acts on. */
function eventOf(path: string, id: string, params: ReturnType<typeof formParams>): TelephonyEvent | null {
  if (path === TWILIO_WEBHOOK_PATHS.gather) {
    const digit = single(params.Digits)?.slice(0, 1);
    if (!digit) return null;
    return {
      type: 'keypress',
      callId: id,
      providerRef: single(params.CallSid) ?? null,
      digit,
      outcome: keypressOutcome(digit),
    };
  }
  if (path === TWILIO_WEBHOOK_PATHS.callStatus) {
    const status = single(params.CallStatus) as CallStatus | undefined;
    if (!status || !CALL_ENDS.includes(status)) return null;
    const duration = Number(single(params.CallDuration));
    return {
      type: 'call-status',
      callId: id,
      providerRef: single(params.CallSid) ?? null,
      status,
      durationSeconds: Number.isFinite(duration) ? duration : null,
    };
  }
  const status = single(params.MessageStatus) as (typeof SMS_STATUSES)[number] | undefined;
  if (!status || !SMS_STATUSES.includes(status)) return null;
  return { type: 'sms-status', messageId: id, providerRef: single(params.MessageSid) ?? null, status };
}

/** Answers one Twilio callback: 403 unless Twilio signed it with `authToken`; events go to `onEvent`. */
export async function handleTwilioWebhook(
  settings: { authToken: string; language: string },
  request: TwilioWebhookRequest,
  onEvent: TwilioEventHandler,
): Promise<TwilioWebhookReply> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return text(400, 'not a URL');
  }
  const path = url.pathname;
  if (!Object.values(TWILIO_WEBHOOK_PATHS).includes(path as never)) return text(404, 'no such callback');
  const params = formParams(request.body);
  // Signed over the URL as Twilio requested it (query included, so the id cannot be swapped) and every field.
  if (!verifyTwilioSignature(settings.authToken, request.signature, request.url, params))
    return text(403, 'the X-Twilio-Signature does not match');
  const id = url.searchParams.get('id');
  if (!id) return text(400, 'the callback URL carries no id');
  const event = eventOf(path, id, params);
  const reply = event ? await onEvent(event) : undefined;
  if (path !== TWILIO_WEBHOOK_PATHS.gather) return twiml(emptyTwiml());
  return twiml(replyTwiml(reply ?? (event?.type === 'keypress' ? event.outcome : 'none'), settings.language));
}
