// Sends SMS and places calls for the core: off unless enabled, rate-limited, within the daily budget, all logged.
import type { Config } from '../config.ts';
import type { Clock, Random } from '../core/clock.ts';
import { CountersignError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { TelephonyContext, TelephonyLogEntry } from '../core/model.ts';
import type { Store } from '../core/repositories.ts';
import { isE164 } from './phone-number.ts';
import type { CallScript, ProviderReceipt, TelephonyProvider } from './provider.ts';
import { admitSend, budgetDay, callCredits, chargeCredits, smsCredits } from './telephony-limits.ts';

/** Longest text accepted: ten concatenated GSM-7 segments. */
export const MAX_SMS_LENGTH = 1_530;

export interface TelephonyDeps {
  store: Store;
  clock: Clock;
  random: Random;
  log: { warn(details: Record<string, unknown>, message: string): void };
}

/** Who is sent what, and why (the log's `context`). */
export interface SendInput {
  userId: string | null;
  to: string;
  context: TelephonyContext;
  /** The log id to use (a sign-in call uses its transaction's id, so the keypress finds the login); else a new one. */
  id?: string;
}

/** A message or call the provider accepted. */
export interface TelephonySent {
  /** The telephony log's id; providers echo it in their callbacks. */
  id: string;
  credits: number;
  providerRef: string | null;
}

export interface Telephony {
  /** The organization a sign-in call names. */
  readonly organization: string;
  /** `[telephony] enabled`. */
  readonly enabled: boolean;
  /** Whether calls can be placed (enabled, and the provider can call). */
  readonly canCall: boolean;
  sendSms(input: SendInput & { text: string }): Promise<TelephonySent>;
  placeCall(input: SendInput & { script: CallScript }): Promise<TelephonySent>;
}

/** The telephony service over `provider` (null when telephony is off). */
export function createTelephony(input: {
  deps: TelephonyDeps | (() => TelephonyDeps);
  settings: Config['telephony'];
  provider: TelephonyProvider | null;
  organization: string;
}): Telephony {
  const deps = typeof input.deps === 'function' ? input.deps : () => input.deps as TelephonyDeps;
  const { settings } = input;
  const provider = settings.enabled ? input.provider : null;

  async function send(
    type: TelephonyLogEntry['type'],
    request: SendInput,
    credits: number,
    deliver: (p: TelephonyProvider, id: string) => Promise<ProviderReceipt>,
  ): Promise<TelephonySent> {
    if (provider === null) throw new CountersignError('TELEPHONY_DISABLED', 'telephony.enabled is false');
    if (type === 'phone' && !provider.canCall)
      throw new CountersignError('TELEPHONY_DISABLED', `the ${provider.name} provider places no calls`);
    if (!isE164(request.to))
      throw new CountersignError('INVALID_INPUT', 'phone: must be E.164, like +15551234567');
    const { store, clock, random, log } = deps();
    const now = clock.now();
    // Limits first: a refused send is not charged. Then the budget, before anything leaves.
    await admitSend(store, settings, request.userId, now);
    await chargeCredits(store, settings, credits, now);
    const id = request.id ?? newId(random, 'TL');
    const entry = { id, at: now, context: request.context, type, phone: request.to, userId: request.userId };
    let receipt: ProviderReceipt;
    try {
      receipt = await deliver(provider, id);
    } catch (error) {
      await store.telephony.refundCredits(budgetDay(now), credits);
      await store.telephony.append({
        ...entry,
        credits: 0,
        provider: provider.name,
        providerRef: null,
        status: 'failed',
      });
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ id, type, provider: provider.name, error: reason }, 'telephony provider failed');
      throw new CountersignError('TELEPHONY_FAILED', reason);
    }
    await store.telephony.append({
      ...entry,
      credits,
      provider: provider.name,
      providerRef: receipt.providerRef,
      status: 'sent',
    });
    return { id, credits, providerRef: receipt.providerRef };
  }

  return {
    organization: input.organization,
    enabled: provider !== null,
    canCall: provider?.canCall ?? false,
    sendSms(request) {
      const { text } = request;
      if (text.length === 0 || text.length > MAX_SMS_LENGTH)
        return Promise.reject(
          new CountersignError('INVALID_INPUT', `text: must be 1 to ${MAX_SMS_LENGTH} characters`),
        );
      return send('sms', request, smsCredits(settings, text), (p, id) =>
        p.sendSms({ id, to: request.to, text }),
      );
    },
    placeCall(request) {
      return send('phone', request, callCredits(settings), (p, id) =>
        p.placeCall({ id, to: request.to, script: request.script }),
      );
    },
  };
}

/** Telephony switched off: every send is refused with TELEPHONY_DISABLED (tools and tests that send nothing). */
export function telephonyOff(organization = 'Countersign'): Telephony {
  const refuse = () =>
    Promise.reject(new CountersignError('TELEPHONY_DISABLED', 'telephony.enabled is false'));
  return { organization, enabled: false, canCall: false, sendSms: refuse, placeCall: refuse };
}
