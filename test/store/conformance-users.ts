// Conformance cases for the user repository: names, updates, status, failure counting.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isCountersignError } from '../../src/core/errors.ts';
import type { Store } from '../../src/core/repositories.ts';
import { type Fixtures, NOW } from './fixtures.ts';

const isUserExists = (error: unknown) => isCountersignError(error, 'USER_EXISTS');

/** Registers the user repository cases on the store `store()` returns. */
export function userCases(store: () => Store, f: Fixtures): void {
  it('creates a user and reads it back unchanged', async () => {
    const user = f.user({ aliases: ['Ada.L'], directory: 'corp-ldap', lastLoginAt: NOW - 5 });
    await store().users.create(user);
    assert.deepEqual(await store().users.get(user.id), user);
    assert.equal(await store().users.get('DUNOSUCHUSER'), null);
  });

  it('finds a user by username or alias, case-insensitively', async () => {
    const user = f.user({ username: `Grace-${f.next('')}`, aliases: [`gh-${f.next('')}`] });
    await store().users.create(user);
    assert.equal((await store().users.findByName(user.username.toUpperCase()))?.id, user.id);
    assert.equal((await store().users.findByName(user.aliases[0]!.toUpperCase()))?.id, user.id);
    assert.equal(await store().users.findByName(`nobody-${f.next('')}`), null);
  });

  it('keeps usernames and aliases unique across users, ignoring case', async () => {
    const first = f.user({ aliases: [`alias-${f.next('')}`] });
    await store().users.create(first);
    const sameName = f.user({ username: first.username.toUpperCase() });
    await assert.rejects(store().users.create(sameName), isUserExists);
    const aliasIsName = f.user({ aliases: [first.username.toLowerCase()] });
    await assert.rejects(store().users.create(aliasIsName), isUserExists);
    const nameIsAlias = f.user({ username: first.aliases[0]!.toUpperCase() });
    await assert.rejects(store().users.create(nameIsAlias), isUserExists);
    // A refused user leaves nothing behind, not even its other names.
    assert.equal(await store().users.get(aliasIsName.id), null);
    assert.equal(await store().users.findByName(aliasIsName.username), null);
    // An alias equal to the user's own username is harmless.
    const self = f.user();
    await store().users.create({ ...self, aliases: [self.username.toUpperCase()] });
    assert.equal((await store().users.findByName(self.username))?.id, self.id);
  });

  it('updates fields and replaces aliases', async () => {
    const user = f.user({ aliases: [`old-${f.next('')}`] });
    await store().users.create(user);
    const newAlias = `new-${f.next('')}`;
    await store().users.update(user.id, {
      realName: 'Grace Hopper',
      email: null,
      phone: '+15550199',
      groups: ['admins', 'staff'],
      aliases: [newAlias],
      directory: 'corp-ldap',
      passwordHash: null,
    });
    const updated = await store().users.get(user.id);
    assert.deepEqual(updated, {
      ...user,
      realName: 'Grace Hopper',
      email: null,
      phone: '+15550199',
      groups: ['admins', 'staff'],
      aliases: [newAlias],
      directory: 'corp-ldap',
      passwordHash: null,
    });
    assert.equal(await store().users.findByName(user.aliases[0]!), null);
    assert.equal((await store().users.findByName(newAlias))?.id, user.id);
    assert.equal((await store().users.findByName(user.username))?.id, user.id);
  });

  it('refuses an alias taken by another user and keeps the old aliases', async () => {
    const owner = f.user();
    const other = f.user({ aliases: [`keep-${f.next('')}`] });
    await store().users.create(owner);
    await store().users.create(other);
    await assert.rejects(store().users.update(other.id, { aliases: [owner.username] }), isUserExists);
    assert.deepEqual((await store().users.get(other.id))?.aliases, other.aliases);
    assert.equal((await store().users.findByName(other.aliases[0]!))?.id, other.id);
  });

  it('reports USER_NOT_FOUND when changing a missing user', async () => {
    const missing = (e: unknown) => isCountersignError(e, 'USER_NOT_FOUND');
    await assert.rejects(store().users.update('DUMISSING', { realName: 'x' }), missing);
    await assert.rejects(store().users.setStatus('DUMISSING', 'disabled'), missing);
    await assert.rejects(store().users.recordFailure('DUMISSING', NOW, 3), missing);
    await assert.rejects(store().users.recordSuccess('DUMISSING', NOW), missing);
  });

  it('lists users by page and filter, and counts them', async () => {
    const before = await store().users.count();
    const dir = `dir-${f.next('')}`;
    const names = ['c', 'a', 'b'].map((x) => `${dir}-${x}`);
    for (const username of names) await store().users.create(f.user({ username, directory: dir }));
    const local = f.user({ status: 'disabled' });
    await store().users.create(local);
    assert.equal(await store().users.count(), before + 4);
    const page1 = await store().users.list({ limit: 2, offset: 0 }, { directory: dir });
    const page2 = await store().users.list({ limit: 2, offset: 2 }, { directory: dir });
    assert.deepEqual(
      [...page1, ...page2].map((u) => u.username),
      [`${dir}-a`, `${dir}-b`, `${dir}-c`],
    );
    const locals = await store().users.list(
      { limit: 10_000, offset: 0 },
      { directory: null, status: 'disabled' },
    );
    assert.ok(locals.some((u) => u.id === local.id));
    assert.ok(locals.every((u) => u.directory === null && u.status === 'disabled'));
    assert.deepEqual(
      await store().users.list({ limit: 10, offset: 0 }, { directory: dir, status: 'disabled' }),
      [],
    );
  });

  it('counts failures, locks at the threshold, and resets on success', async () => {
    const user = f.user();
    await store().users.create(user);
    assert.deepEqual(await store().users.recordFailure(user.id, NOW, 3), {
      failedAttempts: 1,
      lockedOut: false,
    });
    assert.deepEqual(await store().users.recordFailure(user.id, NOW + 1, 3), {
      failedAttempts: 2,
      lockedOut: false,
    });
    assert.deepEqual(await store().users.recordFailure(user.id, NOW + 2, 3), {
      failedAttempts: 3,
      lockedOut: true,
    });
    assert.deepEqual(await store().users.recordFailure(user.id, NOW + 3, 3), {
      failedAttempts: 4,
      lockedOut: true,
    });
    const locked = await store().users.get(user.id);
    assert.equal(locked?.status, 'locked_out');
    assert.equal(locked?.lockedAt, NOW + 2, 'the lock time is when the threshold was reached');
    await store().users.recordSuccess(user.id, NOW + 10);
    const after = await store().users.get(user.id);
    assert.equal(after?.failedAttempts, 0);
    assert.equal(after?.lastLoginAt, NOW + 10);
  });

  it('never locks a user who is not active, nor with a threshold below 1', async () => {
    const disabled = f.user({ status: 'disabled' });
    await store().users.create(disabled);
    assert.deepEqual(await store().users.recordFailure(disabled.id, NOW, 1), {
      failedAttempts: 1,
      lockedOut: false,
    });
    assert.equal((await store().users.get(disabled.id))?.status, 'disabled');
    const active = f.user();
    await store().users.create(active);
    assert.deepEqual(await store().users.recordFailure(active.id, NOW, 0), {
      failedAttempts: 1,
      lockedOut: false,
    });
  });

  it('counts every one of many parallel failures', async () => {
    const user = f.user();
    await store().users.create(user);
    await Promise.all(Array.from({ length: 20 }, () => store().users.recordFailure(user.id, NOW, 1000)));
    assert.equal((await store().users.get(user.id))?.failedAttempts, 20);
  });

  it('sets the status; leaving locked_out clears the failure count', async () => {
    const user = f.user();
    await store().users.create(user);
    await store().users.recordFailure(user.id, NOW, 2);
    await store().users.setStatus(user.id, 'disabled');
    assert.equal((await store().users.get(user.id))?.failedAttempts, 1, 'not locked: the count stays');
    await store().users.setStatus(user.id, 'active');
    await store().users.recordFailure(user.id, NOW, 2);
    assert.equal((await store().users.get(user.id))?.status, 'locked_out');
    await store().users.setStatus(user.id, 'active');
    const unlocked = await store().users.get(user.id);
    assert.equal(unlocked?.status, 'active');
    assert.equal(unlocked?.failedAttempts, 0);
    assert.equal(unlocked?.lockedAt, null);
  });
}

/** Issue 9.4: names match by the canonical key computed in JS, identically on every database. */
export function usernameKeyCases(store: () => Store, f: Fixtures): void {
  const isInvalid = (error: unknown) => isCountersignError(error, 'INVALID_USERNAME');

  it('issue 9.4: stores the canonical name and finds the user by every spelling of it', async () => {
    const n = f.next('');
    const user = f.user({
      username: `  \u212Aelvin  Stra\u00dfe-${n}\t`,
      aliases: [` \uff2b\uff45\uff4c-${n}`],
    });
    await store().users.create(user);
    const stored = await store().users.get(user.id);
    assert.equal(stored?.username, `Kelvin Stra\u00dfe-${n}`);
    assert.deepEqual(stored?.aliases, [`Kel-${n}`]);
    for (const spelling of [
      `kelvin strasse-${n}`,
      `KELVIN  STRASSE-${n}`,
      `KELVIN STRA\u1e9eE-${n} `,
      `\u212Aelvin stra\u00dfe-${n}`,
      `kel-${n}`,
      `\u212AEL-${n}`,
    ]) {
      assert.equal((await store().users.findByName(spelling))?.id, user.id, JSON.stringify(spelling));
    }
    const turkish = f.user({ username: `ali-${n}` });
    await store().users.create(turkish);
    assert.equal((await store().users.findByName(`AL\u0130-${n}`))?.id, turkish.id);
  });

  it('issue 9.4: a name whose key is taken is USER_EXISTS, as a username or as an alias', async () => {
    const n = f.next('');
    const first = f.user({ username: `strasse-${n}`, aliases: [`kate-${n}`] });
    await store().users.create(first);
    await assert.rejects(store().users.create(f.user({ username: `Stra\u00dfe-${n}` })), isUserExists);
    await assert.rejects(store().users.create(f.user({ username: `\u212Aate-${n}` })), isUserExists);
    const other = f.user();
    await store().users.create(other);
    await assert.rejects(store().users.update(other.id, { aliases: [` STRASSE-${n}`] }), isUserExists);
    assert.deepEqual((await store().users.get(other.id))?.aliases, other.aliases);
  });

  it('issue 9.4: a refused name is INVALID_USERNAME on create, update and lookup, and leaves nothing behind', async () => {
    const mixed = f.user({ username: `ali\u0441e-${f.next('')}` });
    await assert.rejects(store().users.create(mixed), isInvalid);
    assert.equal(await store().users.get(mixed.id), null);
    const badAlias = f.user({ aliases: ['ok-alias', 'zero\u200bwidth'] });
    await assert.rejects(store().users.create(badAlias), isInvalid);
    assert.equal(await store().users.get(badAlias.id), null);
    assert.equal(await store().users.findByName('ok-alias'), null);
    const user = f.user({ aliases: [`keep-${f.next('')}`] });
    await store().users.create(user);
    await assert.rejects(store().users.update(user.id, { aliases: ['tab\there'] }), isInvalid);
    assert.deepEqual((await store().users.get(user.id))?.aliases, user.aliases);
    for (const name of ['', '   ', 'alice\u200b', 'al\tice', `ali\u0441e`]) {
      await assert.rejects(store().users.findByName(name), isInvalid, JSON.stringify(name));
    }
  });
}
