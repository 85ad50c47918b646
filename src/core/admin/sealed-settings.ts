// Settings that hold maps of named entries with one sealed secret each (directory bind passwords, RADIUS shared
// secrets): reading, changing atomically, opening and re-sealing them, the same way for every map.
import type { KeyRing } from '../../crypto/keyring.ts';
import { open, seal, sealedKeyId } from '../../crypto/secret-box.ts';
import type { Repositories, Store } from '../repositories.ts';

/** Where a map lives and how its secrets are sealed; the context binds a sealed value to its entry's name. */
export interface SealedMap<F extends string = string> {
  /** The settings key holding the map (name → entry). */
  key: string;
  /** The entry field holding the sealed secret. */
  field: F;
  /** The sealing context of entry `name`: a sealed value cannot be moved to another entry. */
  context(name: string): string;
}

/** LDAP / AD directories (src/core/directory/directory-settings.ts). */
export const DIRECTORIES = {
  key: 'directories',
  field: 'bindPasswordSealed',
  context: (name: string) => `directory:${name}:bind`,
} as const satisfies SealedMap;

/** RADIUS clients (src/core/admin/radius-clients.ts). */
export const RADIUS_CLIENTS = {
  key: 'radius_clients',
  field: 'secretSealed',
  context: (name: string) => `radius-client:${name}:secret`,
} as const satisfies SealedMap;

/** Every sealed map, for key rotation. */
const SEALED_MAPS: readonly SealedMap[] = [DIRECTORIES, RADIUS_CLIENTS];

/** Single settings objects with one sealed field. */
const SEALED_OBJECTS = [{ key: 'vapid', field: 'privateKeySealed', context: 'vapid:private' }] as const;

/** Every entry of `map` as stored (secrets sealed). */
export async function readSealedMap<E>(
  repos: Pick<Repositories, 'settings'>,
  map: SealedMap,
): Promise<Record<string, E>> {
  return (await repos.settings.get<Record<string, E>>(map.key)) ?? {};
}

/** Seals `secret` for the entry `name` of `map`. */
export function sealSecret(ring: KeyRing, map: SealedMap, name: string, secret: string): string {
  return seal(ring, Buffer.from(secret, 'utf8'), map.context(name));
}

/** Opens the secret of entry `name`; throws when the ring cannot open it or it was moved from another entry. */
export function openSecret<F extends string>(
  ring: KeyRing,
  map: SealedMap<F>,
  name: string,
  entry: Record<F, string>,
): string {
  return open(ring, entry[map.field], map.context(name)).toString('utf8');
}

/** An entry without its sealed secret: what administrators are shown. */
export function withoutSecret<F extends string, E extends Record<F, string>>(
  map: SealedMap<F>,
  entry: E,
): Omit<E, F> {
  const summary: Record<string, unknown> = { ...entry };
  delete summary[map.field];
  return summary as Omit<E, F>;
}

/** The entries' summaries, sorted by name. */
export function sortedSummaries<F extends string, E extends Record<F, string>>(
  map: SealedMap<F>,
  all: Record<string, E>,
): Omit<E, F>[] {
  return Object.keys(all)
    .sort()
    .map((name) => withoutSecret(map, all[name]!));
}

/**
 * Changes `map` in one transaction, its settings row locked from the read to the write: two administrators
 * editing at once (on several nodes too) queue instead of one silently undoing the other. `change` gets a copy
 * of the map and the transaction's repositories (for the audit entry) and returns the new map and a result.
 */
export async function updateSealedMap<E, T>(
  store: Store,
  map: SealedMap,
  change: (all: Record<string, E>, repos: Repositories) => Promise<{ all: Record<string, E>; result: T }>,
): Promise<T> {
  return store.atomically(async (repos) => {
    const current = (await repos.settings.getForUpdate<Record<string, E>>(map.key)) ?? {};
    const { all, result } = await change({ ...current }, repos);
    await repos.settings.set(map.key, all);
    return result;
  });
}

/** Re-seals every sealed setting not yet under `ring.primaryId`; returns how many changed. Call in a transaction. */
export async function resealSettings(repos: Pick<Repositories, 'settings'>, ring: KeyRing): Promise<number> {
  let resealed = 0;
  for (const { key, field, context } of SEALED_OBJECTS) {
    const value = await repos.settings.getForUpdate<Record<string, unknown>>(key);
    const sealed = value?.[field];
    if (typeof sealed !== 'string' || sealedKeyId(sealed) === ring.primaryId) continue;
    await repos.settings.set(key, { ...value, [field]: seal(ring, open(ring, sealed, context), context) });
    resealed++;
  }
  for (const { key, field, context } of SEALED_MAPS) {
    const all = (await repos.settings.getForUpdate<Record<string, Record<string, unknown>>>(key)) ?? {};
    let changed = false;
    for (const [name, entry] of Object.entries(all)) {
      const sealed = entry[field];
      if (typeof sealed !== 'string' || sealedKeyId(sealed) === ring.primaryId) continue;
      all[name] = { ...entry, [field]: seal(ring, open(ring, sealed, context(name)), context(name)) };
      changed = true;
      resealed++;
    }
    if (changed) await repos.settings.set(key, all);
  }
  return resealed;
}
