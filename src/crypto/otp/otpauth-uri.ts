// Builds otpauth:// provisioning URIs (Google Authenticator "Key Uri Format") for QR enrolment.
import { encodeBase32 } from '../base32.ts';
import type { OtpAlgorithm, OtpDigits } from './types.ts';

/** Parameters of an otpauth URI; `period` applies to totp, `counter` to hotp. */
export interface OtpauthUriInput {
  type: 'totp' | 'hotp';
  issuer: string;
  account: string;
  secret: Uint8Array;
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  period?: number;
  counter?: bigint;
}

/** Builds `otpauth://TYPE/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=…&digits=…&period|counter=…`. */
export function buildOtpauthUri(input: OtpauthUriInput): string {
  // Key Uri Format: the issuer and account are each percent-encoded; the separating colon is literal.
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const params = [
    `secret=${encodeBase32(input.secret, { pad: false })}`,
    `issuer=${encodeURIComponent(input.issuer)}`,
    `algorithm=${input.algorithm.toUpperCase()}`,
    `digits=${input.digits}`,
  ];
  if (input.type === 'totp') params.push(`period=${input.period ?? 30}`);
  else params.push(`counter=${input.counter ?? 0n}`);
  return `otpauth://${input.type}/${label}?${params.join('&')}`;
}
