// Conformance cases for what the Admin API reads and writes: renames, notes, memberships, deletion, paged
// device lists, token take-back, and the audit log's keyset pages.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isCountersignError } from '../../src/core/errors.ts';
import type { AuditEntry, User } from '../../src/core/model.ts';
import type { AuditQuery, Store } from '../../src/core/repositories.ts';
import { type Fixtures, NOW } from './fixtures.ts';

/** Registers the cases on the store `store()` returns. */
export function adminCases(store: () => Store, f: Fixtures): void {
  it('issue 12: renames a user: the old name no longer finds them, the new one does, aliases stay', async () => {
    const user = f.user({ aliases: [`nick-${f.next('')}`], notes: 'first note' });
    await store().users.create(user);
    assert.equal((await store().users.get(user.id))?.notes, 'first note');
    const renamed = `Renamed-${f.next('')}`;
    await store().users.update(user.id, { username: ` ${renamed} `, notes: null });
    const stored = await store().users.get(user.id);
    assert.equal(stored?.username, renamed, 'stored in canonical form');
    assert.equal(stored?.notes, null);
    assert.equal(await store().users.findByName(user.username), null);
    assert.equal((await store().users.findByName(renamed.toUpperCase()))?.id, user.id);
    assert.equal((await store().users.findByName(user.aliases[0]!))?.id, user.id);
    // The old name is free again; a name another user holds is USER_EXISTS and changes nothing.
    await store().users.create(f.user({ username: user.username }));
    const other = f.user();
    await store().users.create(other);
    await assert.rejects(store().users.update(user.id, { username: other.username }), (error) =>
      isCountersignError(error, 'USER_EXISTS'),
    );
    assert.equal((await store().users.get(user.id))?.username, renamed);
    assert.equal((await store().users.findByName(renamed))?.id, user.id);
  });

  it('issue 12: keeps memberships in step with groups: list and count by group, through updates', async () => {
    const group = `grp-${f.next('')}`;
    const members: User[] = [];
    for (const name of ['b', 'c', 'a']) {
      const user = f.user({ username: `${group}-${name}`, groups: [group, 'staff', group] });
      await store().users.create(user);
      members.push(user);
    }
    await store().users.create(f.user({ groups: ['staff'] }));
    assert.equal(await store().users.count({ group }), 3);
    assert.deepEqual(
      (await store().users.list({ limit: 2, offset: 0 }, { group })).map((u) => u.username),
      [`${group}-a`, `${group}-b`],
    );
    assert.deepEqual(
      (await store().users.list({ limit: 2, offset: 2 }, { group })).map((u) => u.username),
      [`${group}-c`],
    );
    await store().users.update(members[0]!.id, { groups: ['staff'] });
    assert.equal(await store().users.count({ group }), 2);
    assert.equal(await store().users.count({ group, status: 'disabled' }), 0);
    // Inside a transaction that fails, membership changes roll back with the groups column.
    await assert.rejects(
      store().atomically(async (repos) => {
        await repos.users.update(members[1]!.id, { groups: [] });
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(await store().users.count({ group }), 2);
  });

  it('issue 12: deletes a user with their memberships, devices and codes; getMany skips the missing', async () => {
    const group = `gone-${f.next('')}`;
    const user = f.user({ groups: [group] });
    await store().users.create(user);
    const device = f.authenticator(user.id);
    await store().authenticators.create(device);
    await store().bypassCodes.create(f.bypassCode(user.id));
    const kept = f.user();
    await store().users.create(kept);
    assert.deepEqual(
      (await store().users.getMany([user.id, kept.id, 'DUMISSING', user.id])).map((u) => u.id).sort(),
      [user.id, kept.id].sort(),
    );
    assert.equal(await store().users.remove(user.id), true);
    assert.equal(await store().users.remove(user.id), false);
    assert.equal(await store().users.get(user.id), null);
    assert.equal(await store().users.findByName(user.username), null);
    assert.equal(await store().users.count({ group }), 0);
    assert.equal(await store().authenticators.get(device.id), null);
    assert.deepEqual(await store().bypassCodes.listActive(user.id, NOW), []);
    assert.deepEqual(await store().users.getMany([]), []);
  });

  it('issue 12: pages groups by name, counts and removes them', async () => {
    const prefix = `zz-${f.next('')}`;
    for (const name of ['2', '1', '3'])
      await store().groups.upsert({ name: `${prefix}-${name}`, policy: {} });
    const total = await store().groups.count();
    const all = await store().groups.list();
    assert.equal(all.length, total);
    const at = all.findIndex((group) => group.name === `${prefix}-1`);
    assert.deepEqual(
      (await store().groups.list({ limit: 2, offset: at })).map((g) => g.name),
      [`${prefix}-1`, `${prefix}-2`],
    );
    assert.equal(await store().groups.remove(`${prefix}-2`), true);
    assert.equal(await store().groups.remove(`${prefix}-2`), false);
    assert.equal(await store().groups.count(), total - 1);
  });

  it('issue 12: lists and counts authenticators by kind and hardware, and for many users at once', async () => {
    const user = f.user();
    await store().users.create(user);
    const push = f.authenticator(user.id, { kind: 'push', createdAt: NOW + 1 });
    const totp = f.authenticator(user.id, { kind: 'totp', createdAt: NOW });
    const token = f.authenticator(user.id, { kind: 'hotp', serial: `SN-${f.next('')}` });
    const key = f.authenticator(user.id, { kind: 'webauthn' });
    for (const a of [push, totp, token, key]) await store().authenticators.create(a);
    const phones = { kinds: ['push', 'totp'] as const, hardware: false };
    const countBefore = await store().authenticators.count(phones);
    const listed = await store().authenticators.list(phones, { limit: 10_000, offset: 0 });
    assert.equal(listed.length, countBefore);
    assert.ok(listed.every((a) => a.serial === null && (a.kind === 'push' || a.kind === 'totp')));
    assert.deepEqual(
      listed.map((a) => a.id),
      [...listed.map((a) => a.id)].sort(),
      'in id order',
    );
    assert.deepEqual(
      (
        await store().authenticators.list({ hardware: true, serial: token.serial! }, { limit: 5, offset: 0 })
      ).map((a) => a.id),
      [token.id],
    );
    assert.equal(await store().authenticators.count({ kinds: [] }), 0);
    const other = f.user();
    await store().users.create(other);
    const theirs = f.authenticator(other.id);
    await store().authenticators.create(theirs);
    assert.deepEqual(
      (await store().authenticators.listForUsers([user.id, other.id])).map((a) => a.id).sort(),
      [push.id, totp.id, token.id, key.id, theirs.id].sort(),
    );
    assert.deepEqual(await store().authenticators.listForUsers([]), []);
  });

  it('issue 12: takes a hardware token back only from its user, and never a software authenticator', async () => {
    const user = f.user();
    const other = f.user();
    await store().users.create(user);
    await store().users.create(other);
    const token = f.authenticator(user.id, { kind: 'hotp', serial: `SN-${f.next('')}` });
    const app = f.authenticator(user.id);
    await store().authenticators.create(token);
    await store().authenticators.create(app);
    assert.equal(await store().authenticators.unassign(token.id, other.id), false);
    assert.equal(await store().authenticators.unassign(app.id, user.id), false);
    assert.equal(await store().authenticators.unassign(token.id, user.id), true);
    assert.equal((await store().authenticators.get(token.id))?.userId, null);
    assert.equal(await store().authenticators.unassign(token.id, user.id), false);
    assert.equal(await store().authenticators.assign(token.id, other.id), true);
  });

  it('issue 12: pages the audit log by (at, id) in both orders, with filters and counts', async () => {
    // A window no other case writes into.
    const from = NOW + 9_000_000;
    const marker = `keyset-${f.next('')}`;
    const entry = (at: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
      at,
      kind: 'auth',
      action: 'authentication',
      actor: null,
      userId: marker,
      username: 'ada',
      applicationId: 'DAAPP',
      factor: 'passcode',
      result: 'success',
      reason: 'valid_passcode',
      ip: null,
      detail: {},
      ...overrides,
    });
    // Several entries share a time: the id breaks the tie.
    const times = [from, from + 1, from + 1, from + 1, from + 2, from + 5];
    for (const at of times) await store().audit.append(entry(at));
    await store().audit.append(entry(from + 3, { result: 'deny', factor: 'push' }));
    await store().audit.append(entry(from + 4, { kind: 'admin' }));
    await store().audit.append(entry(from + 4, { action: 'primary' }));
    const query: AuditQuery = {
      kind: 'auth',
      from,
      to: from + 5,
      userIds: [marker],
      actions: ['authentication'],
    };
    assert.equal(await store().audit.count(query), 7);

    for (const order of ['desc', 'asc'] as const) {
      const expected = await store().audit.count(query);
      const seen: AuditEntry[] = [];
      let after: { at: number; id: number } | undefined;
      for (;;) {
        const page = await store().audit.list(query, { limit: 3, order, ...(after && { after }) });
        seen.push(...page);
        if (page.length < 3) break;
        const last = page.at(-1)!;
        after = { at: last.at, id: last.id! };
        // An entry appended meanwhile, newer than everything: a keyset page never shifts.
        if (order === 'desc') await store().audit.append(entry(from + 5));
      }
      assert.equal(seen.length, expected, `${order}: every entry once`);
      assert.equal(new Set(seen.map((e) => e.id)).size, expected);
      const keys = seen.map((e) => [e.at, e.id!] as const);
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      assert.deepEqual(keys, order === 'asc' ? sorted : sorted.reverse());
    }
    assert.equal(await store().audit.count(query), 9, 'the two appended while paging');
    assert.equal(await store().audit.count(query, 4), 4, 'a bounded count stops at its bound');
    assert.equal(await store().audit.count(query, 100), 9);
    const windowed = { ...query, to: from + 1 };
    assert.equal(await store().audit.count(windowed), 4);
    assert.equal(await store().audit.count({ ...query, results: ['deny'] }), 1);
    assert.equal(await store().audit.count({ ...query, factors: ['push'] }), 1);
    assert.equal(await store().audit.count({ ...query, factors: ['push'], reasons: ['user_approved'] }), 0);
    assert.equal(await store().audit.count({ ...query, applicationIds: [] }), 0);
    assert.equal(await store().audit.count({ ...query, actions: ['primary'] }), 1);
    assert.equal(await store().audit.count({ kind: 'admin', from, to: from + 5, userIds: [marker] }), 1);
  });

  it('issue 12: filters the audit log by the groups its users are in now', async () => {
    const group = `audited-${f.next('')}`;
    const member = f.user({ groups: [group] });
    const outsider = f.user();
    await store().users.create(member);
    await store().users.create(outsider);
    const from = NOW + 19_000_000;
    for (const user of [member, outsider, member]) {
      await store().audit.append({
        at: from,
        kind: 'auth',
        action: 'authentication',
        actor: null,
        userId: user.id,
        username: user.username,
        applicationId: null,
        factor: null,
        result: 'success',
        reason: null,
        ip: null,
        detail: {},
      });
    }
    const query: AuditQuery = { kind: 'auth', from, to: from, groups: [group] };
    assert.equal(await store().audit.count(query), 2);
    const listed = await store().audit.list(query, { limit: 10, order: 'asc' });
    assert.deepEqual(
      listed.map((e) => e.userId),
      [member.id, member.id],
    );
  });
}
