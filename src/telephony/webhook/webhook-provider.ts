// A generic HTTP gateway: each SMS (and call, with a call template) POSTed as the operator's template describes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.ts';
import { fillTemplate } from '../../text-template.ts';
import { callPrompt, keypressOutcome } from '../call-script.ts';
import { type KeypressEvent, type TelephonyProvider, TelephonyProviderError } from '../provider.ts';
import { providerRequest, redactedUrl } from '../provider-request.ts';
import { type WebhookTemplates, webhookTemplates } from './webhook-templates.ts';

/** Where a gateway reports a call's keypress, under `telephony.callback_url`. */
export const WEBHOOK_CALLBACK_PATH = '/telephony/webhook/keypress';

export interface WebhookSettings {
  url: string;
  headers: Readonly<Record<string, string>>;
  templates: WebhookTemplates;
  /** Null when calls are not configured. */
  callbackSecret: string | null;
  callbackBase: string | null;
  timeoutMs: number;
}

/** The settings from `[telephony]`; call only once check-config has passed. */
export function webhookSettings(
  telephony: Config['telephony'],
  callbackBase: string | null,
): WebhookSettings {
  const { url, headers, callback_secret } = telephony.webhook;
  if (!url) throw new Error('telephony.webhook.url is not configured');
  return {
    url,
    headers,
    templates: webhookTemplates(telephony.webhook),
    callbackSecret: callback_secret ?? null,
    callbackBase: callbackBase?.replace(/\/+$/, '') ?? null,
    timeoutMs: telephony.timeout_ms,
  };
}

/** The token that proves a keypress report comes from whoever received call `id` (HMAC-SHA256, base64url). */
function callbackToken(secret: string, id: string): string {
  return createHmac('sha256', secret).update(`countersign-telephony-keypress:${id}`).digest('base64url');
}

/** The {{callback_url}} of call `id`: the gateway POSTs the keypress there. */
export function webhookCallbackUrl(
  settings: Pick<WebhookSettings, 'callbackBase' | 'callbackSecret'>,
  id: string,
) {
  if (settings.callbackBase === null || settings.callbackSecret === null)
    throw new Error('telephony.webhook: callback_url and callback_secret are needed for calls');
  const token = callbackToken(settings.callbackSecret, id);
  return `${settings.callbackBase}${WEBHOOK_CALLBACK_PATH}?id=${encodeURIComponent(id)}&token=${token}`;
}

/**
 * The keypress a gateway reported to a {{callback_url}} (its query, and `digit` from the JSON or form body), or
 * null when the token is not the one made for that id.
 */
export function webhookKeypress(
  secret: string,
  query: { id?: string; token?: string },
  digit: string,
): KeypressEvent | null {
  if (!query.id || !query.token) return null;
  const expected = Buffer.from(callbackToken(secret, query.id));
  const given = Buffer.from(query.token);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const first = digit.slice(0, 1);
  return {
    type: 'keypress',
    callId: query.id,
    providerRef: null,
    digit: first,
    outcome: keypressOutcome(first),
  };
}

/** The webhook provider. Any 2xx answer means the gateway took the message. */
export function webhookProvider(settings: WebhookSettings, fetchFn?: typeof fetch): TelephonyProvider {
  const { templates } = settings;
  const post = async (what: string, body: string) => {
    const answer = await providerRequest(
      'webhook',
      {
        method: 'POST',
        url: settings.url,
        headers: { ...settings.headers, 'content-type': templates.contentType },
        body,
        timeoutMs: settings.timeoutMs,
      },
      fetchFn,
    );
    if (answer.status < 200 || answer.status > 299) {
      throw new TelephonyProviderError(
        `webhook ${what}: ${redactedUrl(settings.url)} answered HTTP ${answer.status}: ${answer.text.slice(0, 200)}`,
        answer.status,
      );
    }
    return { providerRef: null };
  };
  return {
    name: 'webhook',
    canCall: templates.call !== null,
    sendSms: (message) =>
      post(
        'sms',
        fillTemplate(templates.sms, { to: message.to, text: message.text, id: message.id }, templates.escape),
      ),
    async placeCall(call) {
      if (templates.call === null) throw new TelephonyProviderError('webhook: no call_body is configured');
      const values = {
        to: call.to,
        id: call.id,
        text: callPrompt(call.script),
        organization: call.script.organization,
        application: call.script.application,
        callback_url: webhookCallbackUrl(settings, call.id),
      };
      return post('call', fillTemplate(templates.call, values, templates.escape));
    },
  };
}
