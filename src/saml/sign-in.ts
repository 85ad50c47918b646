// What the prompt tells the SAML core about a finished sign-in: who, when, which session, and whether MFA was used.
import type { SamlSubject } from './subject.ts';

/** A completed sign-in, as the transaction reported it. */
export interface SamlSignIn {
  subject: SamlSubject;
  /** When the user actually authenticated (for a remembered session, when that session began). */
  authnInstant: number;
  /** Our SSO session's index at this SP; a LogoutRequest names it to end exactly this session. */
  sessionIndex: string;
  /** True when a second factor was part of this sign-in (or of the remembered session it rides on). */
  secondFactor: boolean;
  /** When our SSO session ends, if it has a fixed end: becomes SessionNotOnOrAfter. */
  sessionNotOnOrAfter?: number;
}
