// The identity provider's own settings: its entity ID, endpoints, signing credential and time windows.
import type { SigningCredential } from './signing-credential.ts';

/** Everything the protocol core needs to know about us. */
export interface IdpSettings {
  /** Our entity ID (Entra calls it IssuerUri): a stable URL, usually the metadata URL. */
  entityId: string;
  /** SingleSignOnService for both the Redirect (GET) and POST bindings. */
  ssoUrl: string;
  /** SingleLogoutService for both bindings. */
  sloUrl: string;
  credential: SigningCredential;
  /** Extra certificates published in metadata during a key rollover (the next key, before it signs). */
  publishedCertificates: readonly string[];
  /** Clock difference tolerated with service providers, either way. */
  clockSkewMs: number;
  /** How old an inbound request may be (its IssueInstant); replayed IDs are remembered this long plus the skew. */
  requestLifetimeMs: number;
  /** How long an assertion may be presented (SubjectConfirmationData and Conditions NotOnOrAfter). */
  assertionLifetimeMs: number;
}

/**
 * Defaults: 3 minutes of skew (Shibboleth's default), requests 5 minutes old at most, assertions valid for 5
 * minutes (a bearer assertion is used once, within seconds, by the browser's auto-submitted form).
 */
export const IDP_DEFAULTS = {
  clockSkewMs: 180_000,
  requestLifetimeMs: 300_000,
  assertionLifetimeMs: 300_000,
} as const;

/** IdP settings with the defaults filled in. */
export function defineIdp(
  input: Pick<IdpSettings, 'entityId' | 'ssoUrl' | 'sloUrl' | 'credential'> & Partial<IdpSettings>,
): IdpSettings {
  return { publishedCertificates: [], ...IDP_DEFAULTS, ...input };
}
