// Primary authentication that sends directory users to their LDAP / AD directory and local users to argon2id.

import type { authenticateLdap, LdapDirectoryConfig } from '../../primary/ldap/index.ts';
import { loadLdap } from '../../primary/ldap/load-ldap.ts';
import type { PasswordCheck } from '../../primary/password-source.ts';
import type { CoreDeps } from '../deps.ts';
import { localPrimaryAuth, type PrimaryAuth } from '../primary-auth.ts';
import { canonicalUsername } from '../usernames.ts';
import { loadDirectory } from './directory-settings.ts';

/** How long a loaded directory configuration is reused (a change made by the CLI shows up after this). */
export const DIRECTORY_CACHE_MS = 5000;

export interface DirectoryPrimaryAuthOptions {
  cacheMs?: number;
  /** The LDAP check (replaceable in unit tests). */
  authenticate?: typeof authenticateLdap;
  /** The check for users without a directory. */
  local?: PrimaryAuth;
}

type Loaded = { at: number; config: Promise<LdapDirectoryConfig | null> };

/**
 * A PrimaryAuth for users from directories. `getDeps` is read on every call, because the deps object that
 * holds this PrimaryAuth is built after it, and the key ring inside it can be replaced while running.
 */
export function directoryPrimaryAuth(
  getDeps: () => Pick<CoreDeps, 'store' | 'ring' | 'clock'>,
  options: DirectoryPrimaryAuthOptions = {},
): PrimaryAuth {
  const cacheMs = options.cacheMs ?? DIRECTORY_CACHE_MS;
  const authenticate: typeof authenticateLdap =
    options.authenticate ?? (async (...args) => (await loadLdap()).authenticateLdap(...args));
  const local = options.local ?? localPrimaryAuth;
  const cache = new Map<string, Loaded>();

  const configFor = (name: string): Promise<LdapDirectoryConfig | null> => {
    const deps = getDeps();
    const now = deps.clock.now();
    const hit = cache.get(name);
    if (hit && now - hit.at < cacheMs && now >= hit.at) return hit.config;
    const config = loadDirectory(deps, name);
    cache.set(name, { at: now, config });
    // a failed load is not remembered: the next login tries again
    config.catch(() => cache.delete(name));
    return config;
  };

  return {
    async check(user, password): Promise<PasswordCheck> {
      if (user.directory === null) return local.check(user, password);
      // A directory user never falls back to a local password, whatever happens below.
      let config: LdapDirectoryConfig | null;
      try {
        config = await configFor(user.directory);
      } catch {
        return 'unavailable';
      }
      if (!config) return 'unavailable'; // the directory was removed: nobody can vouch for this user
      // The stored name is sent, never what the person typed: it is the name this directory gave the user at
      // sync, so the password checked belongs to the account whose second factor will be asked (docs/usernames.md).
      const result = await authenticate(config, user.username, password);
      if (result.ok) return sameUser(result.user.username, user.username) ? 'ok' : 'bad';
      return result.reason === 'unavailable' ? 'unavailable' : 'bad';
    },
  };
}

/** True when the entry that accepted the password carries the user's name (same canonical key). */
function sameUser(entryName: string, storedName: string): boolean {
  const entry = canonicalUsername(entryName);
  const stored = canonicalUsername(storedName);
  return entry.ok && stored.ok && entry.key === stored.key;
}
