// Conformance cases for administrators (issue 12): roles stored and changed, removed with their user, and the
// "an owner remains" rule holding when two demotions race.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { removeAdministrator, setAdministratorRole } from '../../src/core/admin/administrators.ts';
import { manualClock } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import type { Store } from '../../src/core/repositories.ts';
import { type Fixtures, NOW } from './fixtures.ts';

/** Registers the cases on the store `store()` returns. */
export function administratorCases(store: () => Store, f: Fixtures): void {
  it('issue 12: adds, reads, lists, counts, changes and removes administrators; a second add changes nothing', async () => {
    const [a, b] = [f.user(), f.user()];
    await store().users.create(a);
    await store().users.create(b);
    const owners = await store().administrators.count('owner');
    const all = await store().administrators.count();
    assert.equal(await store().administrators.add({ userId: a.id, role: 'owner', createdAt: NOW }), true);
    assert.equal(
      await store().administrators.add({ userId: a.id, role: 'read-only', createdAt: NOW }),
      false,
    );
    assert.equal(
      await store().administrators.add({ userId: b.id, role: 'help-desk', createdAt: NOW + 1 }),
      true,
    );
    assert.deepEqual(await store().administrators.get(a.id), { userId: a.id, role: 'owner', createdAt: NOW });
    assert.equal(await store().administrators.count('owner'), owners + 1);
    assert.equal(await store().administrators.count(), all + 2);
    const listed = (await store().administrators.list()).filter(
      (x) => x.userId === a.id || x.userId === b.id,
    );
    assert.deepEqual(
      listed.map((x) => x.role),
      ['owner', 'help-desk'],
    );
    assert.equal(await store().administrators.setRole(b.id, 'read-only'), true);
    assert.equal((await store().administrators.get(b.id))?.role, 'read-only');
    assert.equal(await store().administrators.setRole(f.next('nobody'), 'owner'), false);
    assert.equal(await store().administrators.remove(b.id), true);
    assert.equal(await store().administrators.remove(b.id), false);
    assert.equal(await store().administrators.get(b.id), null);
  });

  it('issue 12: lists and counts users by the start of their username; % and _ are plain characters', async () => {
    const stem = `pfx${f.next('').toLowerCase()}`;
    for (const name of [`${stem}-ada`, `${stem}-Alan`, `${stem}_x`, `${stem}%y`, `other-${stem}`]) {
      await store().users.create(f.user({ username: name }));
    }
    const names = async (keyPrefix: string) =>
      (await store().users.list({ limit: 10, offset: 0 }, { keyPrefix })).map((user) => user.username);
    assert.deepEqual(await names(`${stem}-a`), [`${stem}-ada`, `${stem}-Alan`]);
    assert.equal(await store().users.count({ keyPrefix: `${stem}-a` }), 2);
    assert.deepEqual(await names(`${stem}_`), [`${stem}_x`]);
    assert.deepEqual(await names(`${stem}%`), [`${stem}%y`]);
    assert.deepEqual(await names(`${stem}-alan`), [`${stem}-Alan`]);
  });

  it('issue 12: deleting a user ends their role', async () => {
    const user = f.user();
    await store().users.create(user);
    await store().administrators.add({ userId: user.id, role: 'administrator', createdAt: NOW });
    await store().users.remove(user.id);
    assert.equal(await store().administrators.get(user.id), null);
  });

  it('issue 12: two owners demoted at once: one change passes, the other is refused, an owner remains', async () => {
    // Only this case's owners may exist for the rule to bite: demote every other owner first.
    const deps = { store: store(), clock: manualClock(NOW) } as unknown as CoreDeps;
    const [x, y] = [f.user(), f.user()];
    for (const user of [x, y]) {
      await store().users.create(user);
      await store().administrators.add({ userId: user.id, role: 'owner', createdAt: NOW });
    }
    for (const admin of await store().administrators.list()) {
      if (admin.role === 'owner' && admin.userId !== x.id && admin.userId !== y.id) {
        await store().administrators.setRole(admin.userId, 'administrator');
      }
    }
    const results = await Promise.allSettled([
      setAdministratorRole(deps, 'test', x, 'read-only'),
      removeAdministrator(deps, 'test', y),
    ]);
    const refused = results.filter((result) => result.status === 'rejected');
    assert.equal(refused.length, 1, JSON.stringify(results));
    assert.ok(isCountersignError((refused[0] as PromiseRejectedResult).reason, 'INVALID_INPUT'));
    assert.equal(await store().administrators.count('owner'), 1);
  });
}
