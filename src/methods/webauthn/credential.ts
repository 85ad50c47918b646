// The public data of a WebAuthn credential as stored in an authenticator's `data` (never a secret).
import type { Authenticator } from '../../core/model.ts';

/** What `Authenticator.data` holds for kind `webauthn`. */
export interface WebauthnCredentialData {
  /** base64url credential id. */
  credentialId: string;
  /** base64url COSE public key. */
  publicKey: string;
  /** The last signature counter seen (0 for passkeys that do not count). */
  counter: number;
  transports: string[];
  aaguid: string;
  backedUp: boolean;
  deviceType: 'singleDevice' | 'multiDevice';
}

/** The credential data of a `webauthn` authenticator, or null when it is not one or is malformed. */
export function credentialOf(authenticator: Authenticator): WebauthnCredentialData | null {
  if (authenticator.kind !== 'webauthn') return null;
  const d = authenticator.data;
  if (typeof d.credentialId !== 'string' || typeof d.publicKey !== 'string') return null;
  if (typeof d.counter !== 'number') return null;
  return {
    credentialId: d.credentialId,
    publicKey: d.publicKey,
    counter: d.counter,
    transports: Array.isArray(d.transports) ? d.transports.filter((t) => typeof t === 'string') : [],
    aaguid: typeof d.aaguid === 'string' ? d.aaguid : '',
    backedUp: d.backedUp === true,
    deviceType: d.deviceType === 'multiDevice' ? 'multiDevice' : 'singleDevice',
  };
}

/** The user's WebAuthn credentials with their authenticator rows. */
export function webauthnCredentials(
  authenticators: readonly Authenticator[],
): { authenticator: Authenticator; credential: WebauthnCredentialData }[] {
  const out: { authenticator: Authenticator; credential: WebauthnCredentialData }[] = [];
  for (const authenticator of authenticators) {
    const credential = credentialOf(authenticator);
    if (credential) out.push({ authenticator, credential });
  }
  return out;
}
