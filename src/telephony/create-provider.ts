// Builds the configured provider: one line per provider, and an unknown name lists the known ones.
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { kannelProvider, kannelSettings } from './kannel/kannel-provider.ts';
import { outboxProvider } from './outbox/outbox-provider.ts';
import { PROVIDER_NAMES, type ProviderName, type TelephonyProvider } from './provider.ts';
import { twilioProvider, twilioSettings } from './twilio/twilio-provider.ts';
import { webhookProvider, webhookSettings } from './webhook/webhook-provider.ts';

/** The telephony outbox's folder inside the data directory. */
export const TELEPHONY_OUTBOX = 'telephony-outbox';

/** Where the outbox provider writes: `<data_dir>/telephony-outbox`. */
export function telephonyOutboxDir(config: Pick<Config, 'data_dir'>): string {
  return join(config.data_dir, TELEPHONY_OUTBOX);
}

interface ProviderInput {
  config: Pick<Config, 'data_dir' | 'public_url' | 'telephony'>;
  clock: Clock;
  fetch?: typeof fetch;
}

const PROVIDERS: Record<ProviderName, (input: ProviderInput) => TelephonyProvider> = {
  outbox: ({ config, clock }) => outboxProvider(telephonyOutboxDir(config), { clock }),
  twilio: ({ config, fetch }) =>
    twilioProvider(twilioSettings(config.telephony, callbackBase(config) ?? ''), fetch),
  kannel: ({ config, fetch }) => kannelProvider(kannelSettings(config.telephony), fetch),
  webhook: ({ config, fetch }) =>
    webhookProvider(webhookSettings(config.telephony, callbackBase(config)), fetch),
};

/** The base URL providers call back: `telephony.callback_url`, else `public_url`. */
export function callbackBase(config: Pick<Config, 'public_url' | 'telephony'>): string | null {
  return config.telephony.callback_url ?? config.public_url ?? null;
}

/** The provider `telephony.provider` names, or null when telephony is off. */
export function createProvider(input: ProviderInput): TelephonyProvider | null {
  if (!input.config.telephony.enabled) return null;
  const make = PROVIDERS[input.config.telephony.provider];
  if (!make)
    throw new Error(
      `telephony.provider '${input.config.telephony.provider}' is unknown; known: ${PROVIDER_NAMES.join(', ')}`,
    );
  return make(input);
}
