// Conformance cases for applications, groups and settings.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CountersignError, isCountersignError } from '../../src/core/errors.ts';
import type { Store } from '../../src/core/repositories.ts';
import type { Fixtures } from './fixtures.ts';

/** Registers the application, group and settings cases on the store `store()` returns. */
export function configCases(store: () => Store, f: Fixtures): void {
  it('creates applications and finds them by id, ikey and name', async () => {
    const app = f.application({ type: 'radius' });
    await store().applications.create(app);
    assert.deepEqual(await store().applications.get(app.id), app);
    assert.deepEqual(await store().applications.findByIkey(app.ikey), app);
    assert.deepEqual(await store().applications.findByName(app.name), app);
    assert.equal(await store().applications.findByIkey('DINOSUCHKEY000000000'), null);
    assert.equal(await store().applications.findByName('no such app'), null);
    assert.equal(await store().applications.get('DANOSUCH'), null);
  });

  it('refuses a second application with the same name, saying so', async () => {
    const app = f.application();
    await store().applications.create(app);
    const clash = f.application({ name: app.name });
    await assert.rejects(
      store().applications.create(clash),
      (e: unknown) =>
        e instanceof CountersignError && e.code === 'INVALID_INPUT' && /name/.test(e.detail ?? ''),
    );
    const ikeyClash = f.application({ ikey: app.ikey });
    await assert.rejects(
      store().applications.create(ikeyClash),
      (e: unknown) =>
        e instanceof CountersignError && e.code === 'INVALID_INPUT' && /ikey/.test(e.detail ?? ''),
    );
    assert.equal(await store().applications.get(clash.id), null);
  });

  it('lists applications by name and updates policy and sealed secret', async () => {
    const b = f.application({ name: `zz-b-${f.next('')}` });
    const a = f.application({ name: `zz-a-${f.next('')}` });
    await store().applications.create(b);
    await store().applications.create(a);
    const ids = (await store().applications.list())
      .map((x) => x.id)
      .filter((id) => id === a.id || id === b.id);
    assert.deepEqual(ids, [a.id, b.id]);
    await store().applications.updatePolicy(a.id, { authPolicy: 'bypass', enforcementDate: null });
    await store().applications.updateSealedSecret(a.id, 'sealed:rotated');
    const updated = await store().applications.get(a.id);
    assert.deepEqual(updated?.policy, { authPolicy: 'bypass', enforcementDate: null });
    assert.equal(updated?.skeySealed, 'sealed:rotated');
    const missing = (e: unknown) => isCountersignError(e, 'APPLICATION_NOT_FOUND');
    await assert.rejects(store().applications.updatePolicy('DAMISSING', {}), missing);
    await assert.rejects(store().applications.updateSealedSecret('DAMISSING', 'x'), missing);
  });

  it('issue 12: renames an application and keeps its notes; deletes it', async () => {
    const app = f.application();
    const other = f.application();
    await store().applications.create(app);
    await store().applications.create(other);
    await store().applications.update(app.id, { name: `${app.name}-renamed`, notes: 'VPN for staff' });
    assert.deepEqual(await store().applications.get(app.id), {
      ...app,
      name: `${app.name}-renamed`,
      notes: 'VPN for staff',
    });
    await assert.rejects(store().applications.update(app.id, { name: other.name }), (e: unknown) =>
      isCountersignError(e, 'INVALID_INPUT'),
    );
    const missing = (e: unknown) => isCountersignError(e, 'APPLICATION_NOT_FOUND');
    await assert.rejects(store().applications.update('DAMISSING', { notes: 'x' }), missing);
    await assert.rejects(store().applications.update('DAMISSING', {}), missing);
    assert.equal(await store().applications.remove(app.id), true);
    assert.equal(await store().applications.remove(app.id), false);
    assert.equal(await store().applications.findByIkey(app.ikey), null);
  });

  it('issue 10: keeps REST v1 off unless switched on, and switches it', async () => {
    const app = f.application();
    await store().applications.create(app);
    assert.equal((await store().applications.get(app.id))?.legacyRestV1, false);
    await store().applications.setLegacyRestV1(app.id, true);
    assert.equal((await store().applications.findByIkey(app.ikey))?.legacyRestV1, true);
    await store().applications.setLegacyRestV1(app.id, false);
    assert.equal((await store().applications.findByName(app.name))?.legacyRestV1, false);
    const on = f.application({ legacyRestV1: true });
    await store().applications.create(on);
    assert.equal((await store().applications.get(on.id))?.legacyRestV1, true);
    await assert.rejects(store().applications.setLegacyRestV1('DAMISSING', true), (e: unknown) =>
      isCountersignError(e, 'APPLICATION_NOT_FOUND'),
    );
  });

  it('upserts groups and lists them', async () => {
    const name = `group-${f.next('')}`;
    assert.equal(await store().groups.get(name), null);
    await store().groups.upsert({ name, policy: { lockoutThreshold: 5 } });
    assert.deepEqual(await store().groups.get(name), { name, policy: { lockoutThreshold: 5 } });
    await store().groups.upsert({ name, policy: { allowedMethods: ['webauthn'] } });
    assert.deepEqual(await store().groups.get(name), { name, policy: { allowedMethods: ['webauthn'] } });
    const listed = (await store().groups.list()).filter((g) => g.name === name);
    assert.deepEqual(listed, [{ name, policy: { allowedMethods: ['webauthn'] } }]);
  });

  it('stores settings as JSON and overwrites them', async () => {
    const key = `setting-${f.next('')}`;
    assert.equal(await store().settings.get(key), null);
    await store().settings.set(key, { lockoutThreshold: 10, methods: ['push'] });
    assert.deepEqual(await store().settings.get(key), { lockoutThreshold: 10, methods: ['push'] });
    await store().settings.set(key, 'plain');
    assert.equal(await store().settings.get<string>(key), 'plain');
    await store().settings.set(key, 42);
    assert.equal(await store().settings.get<number>(key), 42);
  });

  it('issue 15: read-modify-writes of one setting through getForUpdate, hundreds at once, lose none', async () => {
    const key = `counter-${f.next('')}`;
    const writers = 200;
    await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        store().atomically(async (repos) => {
          const seen = (await repos.settings.getForUpdate<number[]>(key)) ?? [];
          await repos.settings.set(key, [...seen, i]);
        }),
      ),
    );
    const written = (await store().settings.get<number[]>(key)) ?? [];
    assert.equal(written.length, writers);
    assert.deepEqual(
      [...written].sort((a, b) => a - b),
      Array.from({ length: writers }, (_, i) => i),
    );
  });

  it('getForUpdate reads like get, an unset key as null even after a rolled-back lock', async () => {
    const key = `locked-${f.next('')}`;
    await assert.rejects(
      store().atomically(async (repos) => {
        assert.equal(await repos.settings.getForUpdate(key), null);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(await store().settings.get(key), null);
    await store().atomically(async (repos) => {
      assert.equal(await repos.settings.getForUpdate(key), null);
    });
    assert.equal(await store().settings.get(key), null, 'a lock without a write leaves the key unset');
    await store().settings.set(key, { a: 1 });
    const read = await store().atomically((repos) => repos.settings.getForUpdate(key));
    assert.deepEqual(read, { a: 1 });
    await assert.rejects(store().settings.getForUpdate(key), /needs a transaction/);
  });
}
