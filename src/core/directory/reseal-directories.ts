// Re-seals directory bind passwords under the key ring's newest key (called by `keys rotate`).
import type { KeyRing } from '../../crypto/keyring.ts';
import { open, seal, sealedKeyId } from '../../crypto/secret-box.ts';
import type { Repositories } from '../repositories.ts';
import { bindPasswordContext, DIRECTORIES_KEY, readStoredDirectories } from './directory-settings.ts';

/**
 * Re-seals every bind password not already under `ring.primaryId`; returns how many changed.
 * Run it inside the same transaction as the other re-sealing so a rotation is all or nothing.
 */
export async function resealDirectories(
  repos: Pick<Repositories, 'settings'>,
  ring: KeyRing,
): Promise<number> {
  const all = await readStoredDirectories(repos);
  let resealed = 0;
  const next = { ...all };
  for (const [name, stored] of Object.entries(all)) {
    if (sealedKeyId(stored.bindPasswordSealed) === ring.primaryId) continue;
    const context = bindPasswordContext(name);
    const plain = open(ring, stored.bindPasswordSealed, context);
    next[name] = { ...stored, bindPasswordSealed: seal(ring, plain, context) };
    resealed++;
  }
  if (resealed > 0) await repos.settings.set(DIRECTORIES_KEY, next);
  return resealed;
}
