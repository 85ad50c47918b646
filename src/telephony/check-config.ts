// The `[telephony]` checks one option at a time cannot make: what each provider needs, and its templates.
import type { Config } from '../config.ts';
import { webhookTemplates } from './webhook/webhook-templates.ts';

/** Every problem with `telephony` (empty when usable), worded like the other configuration errors. */
export function telephonyConfigErrors(
  telephony: Config['telephony'],
  publicUrl: string | undefined,
): string[] {
  const errors: string[] = [];
  const need = (path: string, value: unknown, why: string) => {
    if (value === undefined || value === '') errors.push(`option 'telephony.${path}' must be set ${why}`);
  };
  const callbackBase = telephony.callback_url ?? publicUrl;
  if (telephony.provider === 'webhook' || telephony.webhook.call_body !== undefined) {
    try {
      webhookTemplates(telephony.webhook);
    } catch (error) {
      errors.push(`option 'telephony.webhook': ${(error as Error).message}`);
    }
  }
  if (!telephony.enabled) return errors;
  const using = `when telephony.provider is '${telephony.provider}'`;
  switch (telephony.provider) {
    case 'twilio':
      need('twilio.account_sid', telephony.twilio.account_sid, using);
      need('twilio.auth_token', telephony.twilio.auth_token, using);
      need('twilio.from', telephony.twilio.from, using);
      if (callbackBase === undefined) {
        errors.push(
          "option 'telephony.callback_url' (or 'public_url') must be set when telephony.provider is 'twilio': Twilio reports keypresses and delivery to it",
        );
      }
      break;
    case 'kannel':
      need('kannel.username', telephony.kannel.username, using);
      need('kannel.password', telephony.kannel.password, using);
      break;
    case 'webhook':
      need('webhook.url', telephony.webhook.url, using);
      if (telephony.webhook.call_body !== undefined) {
        need(
          'webhook.callback_secret',
          telephony.webhook.callback_secret,
          'when telephony.webhook.call_body is',
        );
        if (callbackBase === undefined) {
          errors.push(
            "option 'telephony.callback_url' (or 'public_url') must be set when telephony.webhook.call_body is: it is the {{callback_url}} the gateway reports keypresses to",
          );
        }
      }
      break;
    case 'outbox':
      break;
  }
  return errors;
}
