// Shared parameter types for the OTP primitives.

/** HMAC hash used by HOTP/TOTP (RFC 6238 §1.2 allows SHA-1, SHA-256, SHA-512). */
export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** Number of decimal digits in a code. */
export type OtpDigits = 6 | 7 | 8;

/** Options shared by every HOTP computation. */
export interface HotpOptions {
  digits: OtpDigits;
  algorithm: OtpAlgorithm;
}

/** Options for TOTP: HOTP options plus the time step in seconds. */
export interface TotpOptions extends HotpOptions {
  period: number;
}
