// Settings maps with sealed secrets (RADIUS clients, directories): concurrent admin edits all survive, on both
// databases (each edit reads the whole map and writes it back).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApplication } from '../../src/core/admin/create-application.ts';
import {
  listRadiusClients,
  removeRadiusClient,
  saveRadiusClient,
} from '../../src/core/admin/radius-clients.ts';
import { manualClock, secureRandom } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import { listDirectories, saveDirectory } from '../../src/core/directory/directory-settings.ts';
import type { Store } from '../../src/core/repositories.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { DEFAULT_ATTRIBUTES } from '../../src/primary/ldap/index.ts';
import { openStore } from '../../src/store/open-store.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';

/** Parallel edits: more than the pool's connections, so PostgreSQL runs many of them at the same moment. */
const EDITS = 60;

function cases(open: () => Promise<Store>) {
  let store: Store;
  let deps: Pick<CoreDeps, 'store' | 'ring' | 'clock' | 'random'>;
  let applicationId: string;
  before(async () => {
    store = await open();
    deps = {
      store,
      ring: newKeyRing(secureRandom),
      clock: manualClock(Date.UTC(2026, 0, 5)),
      random: secureRandom,
    };
    const { app } = await createApplication(deps as CoreDeps, 'test', { name: 'vpn', type: 'radius' });
    applicationId = app.id;
  });
  after(() => store.close());

  test('issue 15: RADIUS clients saved and removed at the same time all take effect', async () => {
    const names = Array.from({ length: EDITS }, (_, i) => `nas-${i}`);
    const save = (name: string, i: number) =>
      saveRadiusClient(deps, 'admin', {
        name,
        address: `10.${Math.floor(i / 250)}.${i % 250}.1`,
        secret: `secret-${i}`,
        mode: 'concat',
        applicationId,
        delimiter: ',',
        requireMessageAuthenticator: true,
        failmode: 'secure',
        replyAttributes: [],
      });
    await Promise.all(names.map(save));
    assert.deepEqual((await listRadiusClients(deps)).map((client) => client.name).sort(), names.sort());
    const removed = names.filter((_, i) => i % 2 === 0);
    await Promise.all(removed.map((name) => removeRadiusClient(deps, 'admin', name)));
    assert.deepEqual(
      (await listRadiusClients(deps)).map((client) => client.name).sort(),
      names.filter((name) => !removed.includes(name)).sort(),
    );
  });

  test('issue 15: directories saved at the same time are all kept', async () => {
    const names = Array.from({ length: EDITS }, (_, i) => `dir-${i}`);
    await Promise.all(
      names.map((name) =>
        saveDirectory(deps, 'admin', {
          name,
          urls: ['ldaps://dc1.example.org'],
          bindDn: 'CN=svc,DC=example,DC=org',
          bindPassword: 'Bind-Password-4-Tests',
          baseDn: 'DC=example,DC=org',
          userAttribute: 'sAMAccountName',
          userFilter: '(objectClass=user)',
          startTls: false,
          tlsRejectUnauthorized: true,
          connectTimeoutMs: 5000,
          operationTimeoutMs: 10000,
          attributes: { ...DEFAULT_ATTRIBUTES },
        }),
      ),
    );
    assert.deepEqual((await listDirectories(deps)).map((directory) => directory.name).sort(), names.sort());
  });
}

describe('SQLite', () => cases(() => openStore({ sqlitePath: ':memory:' })));

const serverUrl = testPgUrl();
describe('PostgreSQL', { skip: serverUrl === undefined ? PG_SKIP_MESSAGE : false }, () => {
  let database: TestDatabase | undefined;
  before(async () => {
    if (serverUrl) database = await createTestDatabase(serverUrl);
  });
  after(() => database?.drop());
  cases(async () => openStore({ url: database!.url }));
});
