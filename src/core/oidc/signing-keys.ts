// The OpenID provider's signing keys: made and sealed here, published as `next` before they sign, and kept after
// they stop signing until the tokens they signed have expired ("add, then promote, then retire").
import { createHash, generateKeyPairSync } from 'node:crypto';
import { open, seal } from '../../crypto/secret-box.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import type { OidcSigningKey } from '../model.ts';

/** Every key signs with RS256: the algorithm every OpenID relying party must accept (OIDC Core §15.1). */
export const SIGNING_ALG = 'RS256';

/** A private signing key as the provider takes it (RFC 7517 JWK with kid, alg and use). */
export type PrivateJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

/** The sealing context of a signing key: a sealed key cannot be moved to another kid. */
export function signingKeyContext(kid: string): string {
  return `oidc-signing-key:${kid}`;
}

/** RFC 7638 thumbprint of an RSA key: its kid, the same on every node and in every RP's cache. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A new 2048-bit RSA key in state `state`, sealed with the key ring. */
export function newSigningKey(
  deps: Pick<CoreDeps, 'ring' | 'clock'>,
  state: OidcSigningKey['state'],
): OidcSigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = thumbprint(jwk);
  const full: PrivateJwk = { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' };
  const now = deps.clock.now();
  return {
    kid,
    state,
    privateKeySealed: seal(deps.ring, Buffer.from(JSON.stringify(full)), signingKeyContext(kid)),
    createdAt: now,
    promotedAt: state === 'current' ? now : null,
    retiredAt: null,
  };
}

/** Opens a stored key into the private JWK the provider signs with. */
export function privateJwkOf(deps: Pick<CoreDeps, 'ring'>, key: OidcSigningKey): PrivateJwk {
  return JSON.parse(open(deps.ring, key.privateKeySealed, signingKeyContext(key.kid)).toString('utf8'));
}

const RANK: Record<OidcSigningKey['state'], number> = { current: 0, next: 1, retired: 2 };

/**
 * The keys to publish at `now`, the signing key first (the provider signs with the first key of its set): every
 * `current` and `next` key, and `retired` ones for `retentionMs` after they retired. Two nodes that created a first
 * key at the same moment both publish both, and both sign with the same one (the newest promoted, then by kid).
 */
export function publishedKeys(
  keys: readonly OidcSigningKey[],
  now: number,
  retentionMs: number,
): OidcSigningKey[] {
  return keys
    .filter((k) => k.state !== 'retired' || (k.retiredAt ?? 0) + retentionMs > now)
    .sort(
      (a, b) =>
        RANK[a.state] - RANK[b.state] ||
        (b.promotedAt ?? 0) - (a.promotedAt ?? 0) ||
        a.createdAt - b.createdAt ||
        a.kid.localeCompare(b.kid),
    );
}

/** The stored keys, creating a first signing key and its successor when there are none yet. */
export async function ensureSigningKeys(
  deps: Pick<CoreDeps, 'store' | 'ring' | 'clock'>,
): Promise<OidcSigningKey[]> {
  const keys = await deps.store.oidcSigningKeys.list();
  if (keys.some((k) => k.state === 'current')) return keys;
  await deps.store.oidcSigningKeys.create(newSigningKey(deps, 'current'));
  if (!keys.some((k) => k.state === 'next'))
    await deps.store.oidcSigningKeys.create(newSigningKey(deps, 'next'));
  return deps.store.oidcSigningKeys.list();
}

export interface RotationResult {
  /** The key that signs from now on, or null when there was no published `next` key to promote yet. */
  promoted: string | null;
  /** The new `next` key: published now, promoted by the following rotation. */
  added: string;
  /** The key that stopped signing (still published for the retention period). */
  retired: string | null;
  /** Retired keys past their retention, deleted. */
  removed: string[];
}

/**
 * One rotation: the `next` key (published since the last rotation, so every relying party's key cache already has
 * it) becomes the signing key, the signing key retires, a new `next` key is added, and retired keys older than
 * `retentionMs` are deleted. Audited.
 */
export async function rotateSigningKeys(
  deps: Pick<CoreDeps, 'store' | 'ring' | 'clock'>,
  actor: string,
  retentionMs: number,
): Promise<RotationResult> {
  const now = deps.clock.now();
  const keys = await ensureSigningKeys(deps);
  const next = keys.filter((k) => k.state === 'next').sort((a, b) => a.createdAt - b.createdAt)[0];
  const current = publishedKeys(keys, now, retentionMs).find((k) => k.state === 'current');
  const promoted = next && (await deps.store.oidcSigningKeys.promote(next.kid, now)) ? next.kid : null;
  const added = newSigningKey(deps, 'next');
  await deps.store.oidcSigningKeys.create(added);
  const removed = keys
    .filter((k) => k.state === 'retired' && (k.retiredAt ?? 0) + retentionMs <= now)
    .map((k) => k.kid);
  for (const kid of removed) await deps.store.oidcSigningKeys.remove(kid);
  const result = { promoted, added: added.kid, retired: promoted ? (current?.kid ?? null) : null, removed };
  await audit(deps.store, now, { kind: 'admin', action: 'oidc.keys.rotate', actor, detail: { ...result } });
  return result;
}
