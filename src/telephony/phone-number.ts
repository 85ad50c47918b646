// Phone numbers as providers take them: E.164 (ITU-T E.164: a country code and at most 15 digits in all).

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** True for `+` followed by 7 to 15 digits, the first not 0. */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/** The number with its middle digits hidden, for logs and screens: `+1555•••4567`. */
export function maskPhone(value: string): string {
  if (value.length <= 8) return value.replace(/[0-9](?=[0-9]{2})/g, '•');
  return `${value.slice(0, 5)}${'•'.repeat(value.length - 9)}${value.slice(-4)}`;
}
