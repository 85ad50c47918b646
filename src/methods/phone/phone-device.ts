// A phone number a user confirmed (authenticator kind `phone`): where SMS passcodes and sign-in calls go.
import type { Authenticator } from '../../core/model.ts';
import { isE164 } from '../../telephony/phone-number.ts';

/** The E.164 number of a phone authenticator, or null for any other authenticator. */
export function phoneNumberOf(authenticator: Authenticator): string | null {
  const number = authenticator.data.number;
  return authenticator.kind === 'phone' && typeof number === 'string' && isE164(number) ? number : null;
}

/** The user's phone `wanted` (an id, or 'auto' / '' for the first one), or null when there is none. */
export function pickPhone(authenticators: Authenticator[], wanted: string): Authenticator | null {
  const phones = authenticators.filter((authenticator) => phoneNumberOf(authenticator) !== null);
  if (wanted === 'auto' || wanted === '') return phones[0] ?? null;
  return phones.find((phone) => phone.id === wanted) ?? null;
}

/** The number as Duo's preauth shows it: only the last four digits, like `XXX-XXX-0100`. */
export function maskedNumber(number: string): string {
  return `XXX-XXX-${number.slice(-4)}`;
}
