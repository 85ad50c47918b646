// Twilio's REST API (2010-04-01): SMS through Messages, sign-in calls through Calls with inline TwiML.
import type { Config } from '../../config.ts';
import { type TelephonyProvider, TelephonyProviderError } from '../provider.ts';
import { providerRequest } from '../provider-request.ts';
import { gatherTwiml } from './twiml.ts';

/** Where Twilio calls back, under `telephony.callback_url`; each URL carries the telephony log id as `id`. */
export const TWILIO_WEBHOOK_PATHS = {
  smsStatus: '/telephony/twilio/sms-status',
  callStatus: '/telephony/twilio/call-status',
  gather: '/telephony/twilio/gather',
} as const;

/** How long a call rings before Twilio gives up (seconds; its default is 60). */
export const RING_TIMEOUT_SECONDS = 30;

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from: string;
  apiUrl: string;
  language: string;
  /** The public base URL Twilio's webhooks reach (no trailing slash). */
  callbackBase: string;
  callTimeLimitSeconds: number;
  timeoutMs: number;
}

/** The settings from `[telephony]`; call only once check-config has passed (the fields are then set). */
export function twilioSettings(telephony: Config['telephony'], callbackBase: string): TwilioSettings {
  const { account_sid, auth_token, from, api_url, language } = telephony.twilio;
  if (!account_sid || !auth_token || !from) throw new Error('telephony.twilio is not configured');
  return {
    accountSid: account_sid,
    authToken: auth_token,
    from,
    apiUrl: api_url.replace(/\/+$/, ''),
    language,
    callbackBase: callbackBase.replace(/\/+$/, ''),
    callTimeLimitSeconds: telephony.call_time_limit_seconds,
    timeoutMs: telephony.timeout_ms,
  };
}

/** A callback URL for the message or call `id`. */
export function twilioCallbackUrl(
  settings: Pick<TwilioSettings, 'callbackBase'>,
  path: string,
  id: string,
): string {
  return `${settings.callbackBase}${path}?id=${encodeURIComponent(id)}`;
}

/** Twilio's error body: `{ code, message, more_info, status }`. */
function describeError(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { code?: number; message?: string };
    if (typeof body.message === 'string') return `HTTP ${status}, error ${body.code ?? '?'}: ${body.message}`;
  } catch {
    // not JSON: a proxy's page; its start is enough
  }
  return `HTTP ${status}: ${text.slice(0, 200)}`;
}

/** The Twilio provider; `fetchFn` is for tests that point `api_url` at a local recorder. */
export function twilioProvider(settings: TwilioSettings, fetchFn?: typeof fetch): TelephonyProvider {
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  const post = async (resource: 'Messages' | 'Calls', fields: Record<string, string>) => {
    const url = `${settings.apiUrl}/2010-04-01/Accounts/${settings.accountSid}/${resource}.json`;
    const answer = await providerRequest(
      'twilio',
      {
        method: 'POST',
        url,
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams(fields).toString(),
        timeoutMs: settings.timeoutMs,
      },
      fetchFn,
    );
    if (answer.status !== 201 && answer.status !== 200)
      throw new TelephonyProviderError(
        `twilio ${resource}: ${describeError(answer.status, answer.text)}`,
        answer.status,
      );
    let sid: unknown;
    try {
      sid = (JSON.parse(answer.text) as { sid?: unknown }).sid;
    } catch {
      sid = undefined;
    }
    if (typeof sid !== 'string')
      throw new TelephonyProviderError(`twilio ${resource}: the answer carries no sid`, answer.status);
    return { providerRef: sid };
  };
  return {
    name: 'twilio',
    canCall: true,
    sendSms: (message) =>
      post('Messages', {
        To: message.to,
        From: settings.from,
        Body: message.text,
        StatusCallback: twilioCallbackUrl(settings, TWILIO_WEBHOOK_PATHS.smsStatus, message.id),
      }),
    placeCall: (call) =>
      post('Calls', {
        To: call.to,
        From: settings.from,
        Twiml: gatherTwiml(
          call.script,
          twilioCallbackUrl(settings, TWILIO_WEBHOOK_PATHS.gather, call.id),
          settings.language,
        ),
        StatusCallback: twilioCallbackUrl(settings, TWILIO_WEBHOOK_PATHS.callStatus, call.id),
        // The budget charged this call for `call_time_limit_seconds`: Twilio hangs up at that point.
        TimeLimit: String(settings.callTimeLimitSeconds),
        Timeout: String(RING_TIMEOUT_SECONDS),
      }),
  };
}
