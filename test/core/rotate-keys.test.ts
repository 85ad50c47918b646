// rotateKeys: application secrets and OTP seeds re-sealed under the new key, and codes still verify after.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applicationSecret, createApplication } from '../../src/core/admin/create-application.ts';
import { assignToken, importTokens } from '../../src/core/admin/import-tokens.ts';
import { rotateKeys } from '../../src/core/admin/rotate-keys.ts';
import { secureRandom } from '../../src/core/clock.ts';
import { ensureSigningKeys, privateJwkOf } from '../../src/core/oidc/signing-keys.ts';
import { addPrimaryKey, type KeyRing } from '../../src/crypto/keyring.ts';
import { generateHotp } from '../../src/crypto/otp/hotp.ts';
import { sealedKeyId } from '../../src/crypto/secret-box.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

/** A ring holding only `ring`'s primary key: proves nothing still needs the old one. */
function onlyPrimary(ring: KeyRing): KeyRing {
  return { primaryId: ring.primaryId, keys: new Map([[ring.primaryId, ring.keys.get(ring.primaryId)!]]) };
}

test('rotation re-seals every secret under the new key; codes and secrets still work with the new key alone', async () => {
  const { app, skey } = await createApplication(h.deps, 'test', { name: 'vpn', type: 'radius' });
  const user = await h.user();
  const { authenticator, seed } = await h.totp(user);
  const hotpSeed = Buffer.from('12345678901234567890');
  await importTokens(h.deps, 'test', [
    { serial: 'ROT-1', kind: 'hotp', secret: hotpSeed, digits: 6, algorithm: 'sha1', counter: 0n, period: 0 },
  ]);
  const hotpUser = await h.user();
  await assignToken(h.deps, 'test', 'ROT-1', hotpUser);
  const oldSealed = [
    (await h.deps.store.applications.get(app.id))!.skeySealed,
    ...(await h.deps.store.authenticators.listAll({ limit: 100, offset: 0 })).map((a) => a.secretSealed!),
  ];
  assert.equal(oldSealed.length, 3);

  const ring = addPrimaryKey(h.deps.ring, secureRandom);
  const { resealed } = await rotateKeys({ ...h.deps, ring }, 'test', ring);
  assert.equal(resealed, 3);

  const storedApp = (await h.deps.store.applications.get(app.id))!;
  const stored = await h.deps.store.authenticators.listAll({ limit: 100, offset: 0 });
  const nowSealed = [storedApp.skeySealed, ...stored.map((a) => a.secretSealed!)];
  for (const sealed of nowSealed) assert.equal(sealedKeyId(sealed), ring.primaryId);
  for (const old of oldSealed) assert.equal(nowSealed.includes(old), false, 'the old ciphertext is gone');

  const rotated = { ...h.deps, ring: onlyPrimary(ring) };
  assert.equal(applicationSecret(rotated, storedApp), skey);
  h.deps.ring = rotated.ring;
  try {
    h.clock.advance(30_000);
    assert.equal((await h.login(user, app, h.totpCode(authenticator, seed))).state, 'allow');
    const hotpCode = generateHotp(hotpSeed, 0n, { digits: 6, algorithm: 'sha1' });
    assert.equal((await h.login(hotpUser, app, hotpCode)).state, 'allow');
  } finally {
    h.clock.advance(-30_000);
  }

  const again = await rotateKeys(rotated, 'test', rotated.ring);
  assert.equal(again.resealed, 0, 'a second run has nothing left to do');
  const entries = await h.deps.store.audit.tail({ limit: 10, kind: 'admin' });
  assert.ok(entries.some((entry) => entry.action === 'keys.rotate' && entry.detail.resealed === 3));
});

test('issue 11: rotation re-seals the OpenID signing keys, which still open with the new key alone', async () => {
  const keys = await ensureSigningKeys(h.deps);
  const before = keys.map((k) => privateJwkOf(h.deps, k));
  const ring = addPrimaryKey(h.deps.ring, secureRandom);
  await rotateKeys({ ...h.deps, ring }, 'test', ring);
  const stored = await h.deps.store.oidcSigningKeys.list();
  assert.equal(stored.length, 2);
  for (const key of stored) assert.equal(sealedKeyId(key.privateKeySealed), ring.primaryId);
  const rotated = { ...h.deps, ring: onlyPrimary(ring) };
  assert.deepEqual(
    stored.map((k) => privateJwkOf(rotated, k)),
    before,
  );
});
