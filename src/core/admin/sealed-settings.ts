// Settings that hold maps of sealed secrets (directory bind passwords, RADIUS shared secrets), for key rotation.
import type { KeyRing } from '../../crypto/keyring.ts';
import { open, seal, sealedKeyId } from '../../crypto/secret-box.ts';
import { bindPasswordContext, DIRECTORIES_KEY } from '../directory/directory-settings.ts';
import type { Repositories } from '../repositories.ts';

/** The settings key of the RADIUS client table. */
export const RADIUS_CLIENTS_KEY = 'radius_clients';

/** The sealing context of a RADIUS client's shared secret: a sealed value cannot move to another client. */
export function radiusClientSecretContext(name: string): string {
  return `radius-client:${name}:secret`;
}

/** Every settings map whose entries carry one sealed field. */
const SEALED_MAPS = [
  { key: DIRECTORIES_KEY, field: 'bindPasswordSealed', context: bindPasswordContext },
  { key: RADIUS_CLIENTS_KEY, field: 'secretSealed', context: radiusClientSecretContext },
] as const;

/** Single settings objects with one sealed field. */
const SEALED_OBJECTS = [{ key: 'vapid', field: 'privateKeySealed', context: 'vapid:private' }] as const;

/** Re-seals every sealed setting not yet under `ring.primaryId`; returns how many changed. */
export async function resealSettings(repos: Pick<Repositories, 'settings'>, ring: KeyRing): Promise<number> {
  let resealed = 0;
  for (const { key, field, context } of SEALED_OBJECTS) {
    const value = await repos.settings.get<Record<string, unknown>>(key);
    const sealed = value?.[field];
    if (typeof sealed !== 'string' || sealedKeyId(sealed) === ring.primaryId) continue;
    await repos.settings.set(key, { ...value, [field]: seal(ring, open(ring, sealed, context), context) });
    resealed++;
  }
  for (const { key, field, context } of SEALED_MAPS) {
    const all = (await repos.settings.get<Record<string, Record<string, unknown>>>(key)) ?? {};
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
