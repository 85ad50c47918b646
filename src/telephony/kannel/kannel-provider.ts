// Kannel's smsbox `sendsms` HTTP interface (Kannel User Guide, "Sending SMS messages"): SMS only, no calls.
import type { Config } from '../../config.ts';
import { type TelephonyProvider, TelephonyProviderError } from '../provider.ts';
import { providerRequest, redactedUrl } from '../provider-request.ts';
import { smsSize } from '../sms-segments.ts';

export interface KannelSettings {
  sendsmsUrl: string;
  username: string;
  password: string;
  from: string | null;
  smsc: string | null;
  timeoutMs: number;
}

/** The settings from `[telephony]`; call only once check-config has passed. */
export function kannelSettings(telephony: Config['telephony']): KannelSettings {
  const { sendsms_url, username, password, from, smsc } = telephony.kannel;
  if (!username || password === undefined) throw new Error('telephony.kannel is not configured');
  return {
    sendsmsUrl: sendsms_url,
    username,
    password,
    from: from ?? null,
    smsc: smsc ?? null,
    timeoutMs: telephony.timeout_ms,
  };
}

/** The sendsms URL for one message: credentials, receiver, text, and its coding. */
export function sendsmsUrl(settings: KannelSettings, to: string, text: string): string {
  const url = new URL(settings.sendsmsUrl);
  url.searchParams.set('username', settings.username);
  url.searchParams.set('password', settings.password);
  url.searchParams.set('to', to);
  url.searchParams.set('text', text);
  // The text arrives as UTF-8; coding 0 lets Kannel map it onto the GSM alphabet, which cannot hold every
  // character: a text outside it goes as UCS-2 (coding 2), or the SMSC would receive question marks.
  url.searchParams.set('charset', 'UTF-8');
  url.searchParams.set('coding', smsSize(text).encoding === 'ucs2' ? '2' : '0');
  if (settings.from !== null) url.searchParams.set('from', settings.from);
  if (settings.smsc !== null) url.searchParams.set('smsc', settings.smsc);
  return url.toString();
}

/** The Kannel provider. smsbox answers 202 "0: Accepted for delivery" or "3: Queued for later delivery". */
export function kannelProvider(settings: KannelSettings, fetchFn?: typeof fetch): TelephonyProvider {
  return {
    name: 'kannel',
    canCall: false,
    async sendSms(message) {
      const answer = await providerRequest(
        'kannel',
        { method: 'GET', url: sendsmsUrl(settings, message.to, message.text), timeoutMs: settings.timeoutMs },
        fetchFn,
      );
      const accepted = answer.status === 202 || answer.status === 200;
      if (!accepted || !/^\s*[03]:/.test(answer.text)) {
        throw new TelephonyProviderError(
          `kannel: ${redactedUrl(settings.sendsmsUrl)} answered HTTP ${answer.status}: ${answer.text.trim().slice(0, 200)}`,
          answer.status,
        );
      }
      // sendsms gives no message id; delivery reports would need a dlr-url (not used).
      return { providerRef: null };
    },
    placeCall() {
      return Promise.reject(new TelephonyProviderError('kannel: Kannel sends SMS only and places no calls'));
    },
  };
}
