// Re-seals every secret under the key ring's newest key (the caller saves the new ring first).
import type { KeyRing } from '../../crypto/keyring.ts';
import { open, seal, sealedKeyId } from '../../crypto/secret-box.ts';
import { seedContext } from '../../methods/totp/totp-method.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { signingKeyContext } from '../oidc/signing-keys.ts';
import { skeyContext } from './create-application.ts';
import { resealSettings } from './sealed-settings.ts';

const PAGE = 500;

/**
 * Re-seals application secret keys, OTP seeds, OIDC signing keys and sealed settings under `ring.primaryId`, in one database transaction.
 * `ring` must already be saved where the server reads it, so a crash leaves every value openable.
 */
export async function rotateKeys(
  deps: CoreDeps,
  actor: string,
  ring: KeyRing,
): Promise<{ resealed: number }> {
  const reseal = (sealed: string, context: string) => seal(ring, open(ring, sealed, context), context);
  return deps.store.atomically(async (repos) => {
    let resealed = 0;
    for (const app of await repos.applications.list()) {
      if (sealedKeyId(app.skeySealed) === ring.primaryId) continue;
      await repos.applications.updateSealedSecret(app.id, reseal(app.skeySealed, skeyContext(app.id)));
      resealed++;
    }
    for (let offset = 0; ; offset += PAGE) {
      const page = await repos.authenticators.listAll({ limit: PAGE, offset });
      for (const authenticator of page) {
        if (!authenticator.secretSealed || sealedKeyId(authenticator.secretSealed) === ring.primaryId)
          continue;
        const next = reseal(authenticator.secretSealed, seedContext(authenticator.id));
        await repos.authenticators.updateSealedSecret(authenticator.id, next);
        resealed++;
      }
      if (page.length < PAGE) break;
    }
    for (const key of await repos.oidcSigningKeys.list()) {
      if (sealedKeyId(key.privateKeySealed) === ring.primaryId) continue;
      await repos.oidcSigningKeys.updateSealedKey(
        key.kid,
        reseal(key.privateKeySealed, signingKeyContext(key.kid)),
      );
      resealed++;
    }
    resealed += await resealSettings(repos, ring);
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'keys.rotate',
      actor,
      detail: { primary: ring.primaryId, resealed },
    });
    return { resealed };
  });
}
