// Conformance cases for authenticators and bypass codes, including the compare-and-set races.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isCountersignError } from '../../src/core/errors.ts';
import type { Store } from '../../src/core/repositories.ts';
import { countWinners, type Fixtures, NOW } from './fixtures.ts';

/** Registers the authenticator and bypass code cases on the store `store()` returns. */
export function credentialCases(store: () => Store, f: Fixtures): void {
  const newUser = async () => {
    const user = f.user();
    await store().users.create(user);
    return user.id;
  };

  it('creates authenticators, finds them by serial and lists them per user', async () => {
    const userId = await newUser();
    const app = f.authenticator(userId, { data: { publicKey: 'pk' }, lastUsedStep: 3, lastUsedAt: NOW });
    const token = f.authenticator(userId, {
      kind: 'hotp',
      serial: `SN-${f.next('')}`,
      period: 0,
      counter: 7,
    });
    await store().authenticators.create(app);
    await store().authenticators.create(token);
    assert.deepEqual(await store().authenticators.get(app.id), app);
    assert.deepEqual(await store().authenticators.findBySerial(token.serial!), token);
    assert.equal(await store().authenticators.findBySerial('SN-NONE'), null);
    assert.deepEqual(await store().authenticators.listForUser(userId), [app, token]);
  });

  it('refuses a duplicate serial with TOKEN_EXISTS, an unknown user with USER_NOT_FOUND', async () => {
    const serial = `SN-${f.next('')}`;
    await store().authenticators.create(f.authenticator(null, { kind: 'hotp', serial }));
    await assert.rejects(
      store().authenticators.create(f.authenticator(null, { kind: 'hotp', serial })),
      (e) => isCountersignError(e, 'TOKEN_EXISTS'),
    );
    await assert.rejects(store().authenticators.create(f.authenticator('DUMISSING')), (e) =>
      isCountersignError(e, 'USER_NOT_FOUND'),
    );
  });

  it('assigns an unassigned hardware token once; listAll pages through everything', async () => {
    const token = f.authenticator(null, { kind: 'hotp', serial: `SN-${f.next('')}`, createdAt: 1 });
    await store().authenticators.create(token);
    const first = await store().authenticators.listAll({ limit: 1, offset: 0 });
    assert.equal(first.length, 1);
    const all = await store().authenticators.listAll({ limit: 100_000, offset: 0 });
    assert.ok(all.some((a) => a.id === token.id && a.userId === null));
    const [alice, bob] = [await newUser(), await newUser()];
    assert.equal(await store().authenticators.assign(token.id, alice), true);
    assert.equal(await store().authenticators.assign(token.id, bob), false);
    assert.equal((await store().authenticators.get(token.id))?.userId, alice);
  });

  it('renames, updates data and secret, and removes', async () => {
    const a = f.authenticator(await newUser());
    await store().authenticators.create(a);
    await store().authenticators.rename(a.id, 'Work phone');
    await store().authenticators.updateData(a.id, { credentialId: 'abc', signCount: 2 });
    await store().authenticators.updateSealedSecret(a.id, 'sealed:rotated');
    assert.deepEqual(await store().authenticators.get(a.id), {
      ...a,
      name: 'Work phone',
      data: { credentialId: 'abc', signCount: 2 },
      secretSealed: 'sealed:rotated',
    });
    await store().authenticators.remove(a.id);
    assert.equal(await store().authenticators.get(a.id), null);
    await store().authenticators.remove(a.id);
    await assert.rejects(store().authenticators.rename(a.id, 'x'), (e) =>
      isCountersignError(e, 'DEVICE_NOT_FOUND'),
    );
  });

  it('claims a TOTP step only once and only moving forward', async () => {
    const a = f.authenticator(await newUser());
    await store().authenticators.create(a);
    assert.equal(await store().authenticators.claimTotpStep(a.id, 5, NOW), true);
    assert.equal(await store().authenticators.claimTotpStep(a.id, 5, NOW + 1), false);
    assert.equal(await store().authenticators.claimTotpStep(a.id, 4, NOW + 2), false);
    assert.equal(await store().authenticators.claimTotpStep(a.id, 6, NOW + 3), true);
    const stored = await store().authenticators.get(a.id);
    assert.equal(stored?.lastUsedStep, 6);
    assert.equal(stored?.lastUsedAt, NOW + 3);
    assert.equal(await store().authenticators.claimTotpStep('DPMISSING', 9, NOW), false);
  });

  it('advances an HOTP counter only from the expected value', async () => {
    const a = f.authenticator(await newUser(), { kind: 'hotp', period: 0, counter: 10 });
    await store().authenticators.create(a);
    assert.equal(await store().authenticators.advanceHotpCounter(a.id, 9, 11, NOW), false);
    assert.equal(await store().authenticators.advanceHotpCounter(a.id, 10, 13, NOW), true);
    assert.equal(await store().authenticators.advanceHotpCounter(a.id, 10, 11, NOW), false);
    assert.equal((await store().authenticators.get(a.id))?.counter, 13);
  });

  it('lets exactly one of 20 parallel TOTP claims and HOTP advances win', async () => {
    const userId = await newUser();
    const totp = f.authenticator(userId);
    const hotp = f.authenticator(userId, { kind: 'hotp', period: 0, counter: 0 });
    await store().authenticators.create(totp);
    await store().authenticators.create(hotp);
    assert.equal(await countWinners(20, () => store().authenticators.claimTotpStep(totp.id, 100, NOW)), 1);
    assert.equal(
      await countWinners(20, (i) => store().authenticators.advanceHotpCounter(hotp.id, 0, i + 1, NOW)),
      1,
    );
  });

  it('consumes bypass codes: one use once, two uses twice, never after expiry', async () => {
    const userId = await newUser();
    const once = f.bypassCode(userId, { remainingUses: 1 });
    const twice = f.bypassCode(userId, { remainingUses: 2 });
    const expiring = f.bypassCode(userId, { remainingUses: 5, expiresAt: NOW + 1000 });
    const unlimited = f.bypassCode(userId, { remainingUses: null, expiresAt: null });
    for (const code of [once, twice, expiring, unlimited]) await store().bypassCodes.create(code);
    assert.deepEqual(await store().bypassCodes.listActive(userId, NOW), [once, twice, expiring, unlimited]);
    assert.equal(await store().bypassCodes.consume(once.id, NOW), true);
    assert.equal(await store().bypassCodes.consume(once.id, NOW), false);
    assert.equal(await store().bypassCodes.consume(twice.id, NOW), true);
    assert.equal(await store().bypassCodes.consume(twice.id, NOW), true);
    assert.equal(await store().bypassCodes.consume(twice.id, NOW), false);
    assert.equal(await store().bypassCodes.consume(expiring.id, NOW + 1000), false, 'expired at expiresAt');
    assert.equal(await store().bypassCodes.consume(expiring.id, NOW + 999), true);
    for (let i = 0; i < 3; i++) assert.equal(await store().bypassCodes.consume(unlimited.id, NOW), true);
    const active = await store().bypassCodes.listActive(userId, NOW + 1000);
    assert.deepEqual(active, [unlimited]);
    const stored = (await store().bypassCodes.listAll()).filter((c) => c.userId === userId).map((c) => c.id);
    assert.deepEqual(stored, [expiring.id, unlimited.id], 'used-up codes are deleted');
    assert.equal(await store().bypassCodes.consume('BCMISSING', NOW), false);
  });

  it('lets exactly one of 20 parallel consumes of a one-use code win', async () => {
    const userId = await newUser();
    const code = f.bypassCode(userId, { remainingUses: 1 });
    await store().bypassCodes.create(code);
    assert.equal(await countWinners(20, () => store().bypassCodes.consume(code.id, NOW)), 1);
    const five = f.bypassCode(userId, { remainingUses: 5 });
    await store().bypassCodes.create(five);
    assert.equal(await countWinners(20, () => store().bypassCodes.consume(five.id, NOW)), 5);
  });

  it('revokes all codes of one user only', async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    await store().bypassCodes.create(f.bypassCode(alice));
    await store().bypassCodes.create(f.bypassCode(alice, { remainingUses: null }));
    await store().bypassCodes.create(f.bypassCode(bob));
    assert.equal(await store().bypassCodes.revokeAll(alice), 2);
    assert.deepEqual(await store().bypassCodes.listActive(alice, NOW), []);
    assert.equal((await store().bypassCodes.listActive(bob, NOW)).length, 1);
    await assert.rejects(store().bypassCodes.create(f.bypassCode('DUMISSING')), (e) =>
      isCountersignError(e, 'USER_NOT_FOUND'),
    );
  });
}
