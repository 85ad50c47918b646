// Holds this node's provider: built on first use (after the listener knows its URL) and rebuilt when the published
// signing keys change, which `countersign oidc keys rotate` may do from any node at any time.
import type { Provider } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import { ensureSigningKeys, privateJwkOf, publishedKeys } from '../../core/oidc/signing-keys.ts';
import { deriveKey } from '../../crypto/keyring.ts';
import type { SsoLogoutHub } from '../sso/logout-hub.ts';
import type { ProviderLog, ProviderSettings } from './create-provider.ts';

/** How often a node looks for rotated keys: a promoted key signs everywhere within this long. */
export const KEY_CHECK_MS = 30_000;

export interface ProviderHostOptions {
  deps: CoreDeps;
  /** Everything but the keys, read when the provider is (re)built. */
  settings: () => Omit<ProviderSettings, 'jwks' | 'cookieKeys'>;
  /** How long retired keys stay published. */
  retiredKeyMs: number;
  log: ProviderLog;
  /** Where the provider's logout reaches the other fronts (none for a provider built outside a server). */
  logoutHub?: SsoLogoutHub;
}

export interface ProviderHost {
  /** The provider for the current keys. */
  get(): Promise<Provider>;
}

/** Cookie keys derived from the key ring (the primary first): every node signs and checks cookies alike. */
function cookieKeys(deps: CoreDeps): string[] {
  const ids = [deps.ring.primaryId, ...[...deps.ring.keys.keys()].filter((id) => id !== deps.ring.primaryId)];
  return ids.map((id) => deriveKey(deps.ring, id, 'oidc-cookies').toString('base64url'));
}

/** A host that checks the key table at most every KEY_CHECK_MS (on the core's clock). */
export function providerHost(options: ProviderHostOptions): ProviderHost {
  const { deps } = options;
  let current: { provider: Provider; fingerprint: string; checkedAt: number } | null = null;
  let pending: Promise<Provider> | null = null;

  const refresh = async (): Promise<Provider> => {
    const now = deps.clock.now();
    const keys = publishedKeys(await ensureSigningKeys(deps), now, options.retiredKeyMs);
    const settings = options.settings();
    const fingerprint = JSON.stringify([settings.issuer, keys.map((k) => [k.kid, k.state])]);
    if (current?.fingerprint === fingerprint) {
      current.checkedAt = now;
      return current.provider;
    }
    // oidc-provider (and Koa under it) loads with the first provider, not at start: a server nobody signs in to
    // through OIDC never holds it in memory (issue 14, idle memory).
    const { createProvider } = await import('./create-provider.ts');
    const provider = createProvider(
      deps,
      { ...settings, jwks: keys.map((k) => privateJwkOf(deps, k)), cookieKeys: cookieKeys(deps) },
      options.log,
      options.logoutHub ?? null,
    );
    current = { provider, fingerprint, checkedAt: now };
    return provider;
  };

  return {
    get() {
      if (current && deps.clock.now() - current.checkedAt < KEY_CHECK_MS)
        return Promise.resolve(current.provider);
      pending ??= refresh().finally(() => {
        pending = null;
      });
      return pending;
    },
  };
}
