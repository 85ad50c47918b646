// Phone numbers as providers take them: E.164 (ITU-T E.164: a country code and at most 15 digits in all).

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** True for `+` followed by 7 to 15 digits, the first not 0. */
export function isE164(value: string): boolean {
  return E164.test(value);
}
