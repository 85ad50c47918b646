// Conformance cases for the OpenID Connect provider's storage: its artifacts (adapter) and signing keys.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { OidcArtifact, OidcSigningKey } from '../../src/core/model.ts';
import type { Store } from '../../src/core/repositories.ts';
import { countWinners, type Fixtures, NOW } from './fixtures.ts';

/** Registers the OIDC artifact and signing-key cases on the store `store()` returns. */
export function oidcCases(store: () => Store, f: Fixtures): void {
  const artifact = (overrides: Partial<OidcArtifact> = {}): OidcArtifact => ({
    model: 'AccessToken',
    id: f.next('oidc-'),
    payloadSealed: 'sealed:payload',
    grantId: null,
    uid: null,
    userCode: null,
    accountId: null,
    expiresAt: NOW + 60_000,
    consumedAt: null,
    ...overrides,
  });

  it('upserts, finds by model and id, and hides what expired', async () => {
    const a = artifact();
    await store().oidcArtifacts.upsert(a);
    assert.deepEqual(await store().oidcArtifacts.find('AccessToken', a.id, NOW), a);
    assert.equal(
      await store().oidcArtifacts.find('RefreshToken', a.id, NOW),
      null,
      'the model is part of the key',
    );
    assert.equal(
      await store().oidcArtifacts.find('AccessToken', a.id, NOW + 60_000),
      null,
      'expired at its expiry',
    );
    const forever = artifact({ expiresAt: null });
    await store().oidcArtifacts.upsert(forever);
    assert.deepEqual(await store().oidcArtifacts.find('AccessToken', forever.id, NOW * 2), forever);
    await store().oidcArtifacts.upsert({ ...a, payloadSealed: 'sealed:changed', expiresAt: NOW + 120_000 });
    const changed = await store().oidcArtifacts.find('AccessToken', a.id, NOW + 60_000);
    assert.equal(changed?.payloadSealed, 'sealed:changed');
  });

  it('finds sessions by uid and device codes by user code', async () => {
    const uid = f.next('uid-');
    const session = artifact({ model: 'Session', uid, accountId: f.next('DU') });
    await store().oidcArtifacts.upsert(session);
    assert.deepEqual(await store().oidcArtifacts.findByUid('Session', uid, NOW), session);
    assert.equal(await store().oidcArtifacts.findByUid('Interaction', uid, NOW), null);
    const userCode = f.next('CODE');
    const device = artifact({ model: 'DeviceCode', userCode });
    await store().oidcArtifacts.upsert(device);
    assert.deepEqual(await store().oidcArtifacts.findByUserCode('DeviceCode', userCode, NOW), device);
    assert.equal(await store().oidcArtifacts.findByUserCode('DeviceCode', userCode, NOW + 60_000), null);
  });

  it('issue 11: consumes an artifact once, even under 200 parallel attempts, and a re-save keeps the mark', async () => {
    const code = artifact({ model: 'AuthorizationCode' });
    await store().oidcArtifacts.upsert(code);
    assert.equal(
      await countWinners(200, () => store().oidcArtifacts.consume('AuthorizationCode', code.id, NOW)),
      1,
    );
    assert.equal((await store().oidcArtifacts.find('AuthorizationCode', code.id, NOW))?.consumedAt, NOW);
    await store().oidcArtifacts.upsert(code);
    assert.equal((await store().oidcArtifacts.find('AuthorizationCode', code.id, NOW))?.consumedAt, NOW);
    assert.equal(await store().oidcArtifacts.consume('AuthorizationCode', f.next('none-'), NOW), false);
    const late = artifact({ model: 'AuthorizationCode' });
    await store().oidcArtifacts.upsert(late);
    assert.equal(
      await store().oidcArtifacts.consume('AuthorizationCode', late.id, NOW + 60_000),
      false,
      'expired',
    );
  });

  it('revokes every artifact of a grant, and only those', async () => {
    const grantId = f.next('grant-');
    const rows = [
      artifact({ model: 'AccessToken', grantId }),
      artifact({ model: 'RefreshToken', grantId }),
      artifact({ model: 'AuthorizationCode', grantId }),
    ];
    const other = artifact({ grantId: f.next('grant-') });
    for (const row of [...rows, other]) await store().oidcArtifacts.upsert(row);
    assert.equal(await store().oidcArtifacts.revokeByGrantId(grantId), 3);
    for (const row of rows) assert.equal(await store().oidcArtifacts.find(row.model, row.id, NOW), null);
    assert.ok(await store().oidcArtifacts.find(other.model, other.id, NOW));
    await store().oidcArtifacts.destroy(other.model, other.id);
    assert.equal(await store().oidcArtifacts.find(other.model, other.id, NOW), null);
  });

  it('lists and revokes everything of one account', async () => {
    const accountId = f.next('DU');
    const sessions = [artifact({ model: 'Session', accountId }), artifact({ model: 'Session', accountId })];
    const expired = artifact({ model: 'Session', accountId, expiresAt: NOW - 1 });
    const token = artifact({ model: 'RefreshToken', accountId });
    const someoneElse = artifact({ model: 'Session', accountId: f.next('DU') });
    for (const row of [...sessions, expired, token, someoneElse]) await store().oidcArtifacts.upsert(row);
    const listed = await store().oidcArtifacts.listForAccount('Session', accountId, NOW);
    assert.deepEqual(listed.map((row) => row.id).sort(), sessions.map((row) => row.id).sort());
    assert.equal(await store().oidcArtifacts.revokeByAccount(accountId), 4);
    assert.equal(await store().oidcArtifacts.find('RefreshToken', token.id, NOW), null);
    assert.ok(await store().oidcArtifacts.find('Session', someoneElse.id, NOW));
  });

  it('purges artifacts that expired at or before the cut-off, and only those', async () => {
    // Times far below NOW so rows of other cases are never in range.
    const old = artifact({ expiresAt: 1000 });
    const edge = artifact({ expiresAt: 2000 });
    const live = artifact({ expiresAt: 3000 });
    const forever = artifact({ expiresAt: null });
    for (const row of [old, edge, live, forever]) await store().oidcArtifacts.upsert(row);
    assert.equal(await store().oidcArtifacts.purge(2000), 2);
    assert.ok(await store().oidcArtifacts.find(live.model, live.id, 2500));
    assert.ok(await store().oidcArtifacts.find(forever.model, forever.id, 2500));
  });

  const key = (overrides: Partial<OidcSigningKey> = {}): OidcSigningKey => ({
    kid: f.next('kid-'),
    state: 'next',
    privateKeySealed: 'sealed:jwk',
    createdAt: NOW,
    promotedAt: null,
    retiredAt: null,
    ...overrides,
  });

  it('promotes a next signing key and retires the current one; two promotions at once: one wins', async () => {
    const before = (await store().oidcSigningKeys.list()).map((k) => k.kid);
    for (const kid of before) await store().oidcSigningKeys.remove(kid);
    const current = key({ state: 'current', promotedAt: NOW - 1000 });
    const next = key({ createdAt: NOW + 1 });
    await store().oidcSigningKeys.create(current);
    await store().oidcSigningKeys.create(next);
    assert.deepEqual(
      (await store().oidcSigningKeys.list()).map((k) => k.kid),
      [current.kid, next.kid],
      'oldest first',
    );
    assert.equal(await countWinners(20, () => store().oidcSigningKeys.promote(next.kid, NOW + 5000)), 1);
    const after = await store().oidcSigningKeys.list();
    assert.deepEqual(
      after.map((k) => [k.kid, k.state, k.promotedAt, k.retiredAt]),
      [
        [current.kid, 'retired', NOW - 1000, NOW + 5000],
        [next.kid, 'current', NOW + 5000, null],
      ],
    );
    assert.equal(await store().oidcSigningKeys.promote(current.kid, NOW + 6000), false, 'only a next key');
    await store().oidcSigningKeys.updateSealedKey(current.kid, 'sealed:again');
    const resealed = (await store().oidcSigningKeys.list()).find((k) => k.kid === current.kid);
    assert.equal(resealed?.privateKeySealed, 'sealed:again');
    for (const k of after) await store().oidcSigningKeys.remove(k.kid);
    assert.deepEqual(await store().oidcSigningKeys.list(), []);
  });
}
