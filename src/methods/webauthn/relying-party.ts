// The WebAuthn relying party (RP ID, display name, accepted origins), from configuration or the public URL.

/** Who the credentials are bound to: WebAuthn L3 §5.1.4 (RP ID) and §7.1 step 9 (origin). */
export interface RelyingParty {
  /** The RP ID: a registrable domain suffix of the origins' host (e.g. `example.edu`). */
  id: string;
  /** Shown by the browser and the authenticator when creating a credential. */
  name: string;
  /** Every origin a response may come from (e.g. `https://mfa.example.edu`). */
  origins: string[];
}

/** The default RP: the public URL's host name as RP ID and its origin as the only accepted origin. */
export function relyingPartyFor(
  publicUrl: string,
  name: string,
  overrides: { id?: string; origins?: string[] } = {},
): RelyingParty {
  const url = new URL(publicUrl);
  return { id: overrides.id ?? url.hostname, name, origins: overrides.origins ?? [url.origin] };
}
