// Upgrades: a data directory made by an earlier release (test/fixtures/upgrade/<version>/) is served by today's code,
// its schema migrated at start, and every factor it holds still works: the application's secret key signs requests,
// a TOTP code, a bypass code, the push device answers a push (and shows its offline passcode), the policy holds.
//
// To add a release's fixture: on the release's commit, run `node scripts/make-upgrade-fixture.ts` (it writes
// test/fixtures/upgrade/<package.json version>/ through the CLI and a real `serve`) and commit that folder; this test
// then covers it alongside the older ones. Never regenerate an existing folder: it stands for what that release wrote.
// The secrets in the fixtures are test-only.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { UpgradeFixture } from '../../scripts/make-upgrade-fixture.ts';
import { createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import { parseAccount } from '../../src/device-client/account.ts';
import { createDeviceClient } from '../../src/device-client/client.ts';
import { MIGRATIONS } from '../../src/store/migrations/migrate.ts';
import { cli, environment, type ServeProcess, startServe, stopServe } from '../support/serve-process.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/upgrade/', import.meta.url));
const versions = (await readdir(FIXTURES)).sort();

const scratch = await mkdtemp(join(tmpdir(), 'countersign-upgrade-'));
const nodes: ServeProcess[] = [];
after(async () => {
  for (const node of nodes) if (node.process.exitCode === null) node.process.kill('SIGKILL');
  await rm(scratch, { recursive: true, force: true });
});

function migrationsIn(database: string): string[] {
  const db = new DatabaseSync(database, { readOnly: true });
  try {
    return (
      db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>
    ).map((row) => row.name);
  } finally {
    db.close();
  }
}

test('there is a fixture of at least one release', () => {
  assert.ok(versions.length > 0, `no folder in ${FIXTURES}`);
});

for (const version of versions) {
  test(`issue 14: a data directory made by ${version} migrates and every factor in it still works`, async () => {
    const dataDir = join(scratch, version);
    await cp(join(FIXTURES, version), dataDir, { recursive: true });
    const fixture = JSON.parse(await readFile(join(dataDir, 'fixture.json'), 'utf8')) as UpgradeFixture;
    const before = migrationsIn(join(dataDir, 'countersign.db'));
    const env = environment({
      COUNTERSIGN_DATA_DIR: dataDir,
      COUNTERSIGN_HTTP_HOST: '127.0.0.1',
      COUNTERSIGN_LOG_LEVEL: 'warn',
      USER: 'tester',
    });

    const server = await startServe(env);
    nodes.push(server);
    const { ikey, skey } = fixture.application;
    const api = createAuthApiClient({ baseUrl: server.url, ikey, skey });
    try {
      // The secret key, sealed under the fixture's master key, opens and checks the request signature.
      assert.equal(typeof (await api.check()).time, 'number');
      const username = fixture.username;
      const passcode = (code: string, hostname: string) =>
        api.auth({ username, factor: 'passcode', passcode: code, hostname });

      const totp = generateTotp(decodeBase32(fixture.totpSecret), Date.now(), {
        algorithm: 'sha1',
        digits: 6,
        period: 30,
      });
      assert.equal((await passcode(totp, 'totp')).result, 'allow', 'the TOTP seed opens and matches');

      const [bypass] = fixture.bypassCodes;
      assert.equal((await passcode(bypass!, 'bypass')).result, 'allow', 'a bypass code');
      assert.equal((await passcode(bypass!, 'bypass-again')).result, 'deny', 'and it is spent');

      // The device kept its key; only the server's address is new.
      const saved = JSON.parse(await readFile(join(dataDir, fixture.deviceFile), 'utf8')) as object;
      const device = createDeviceClient(
        parseAccount({ ...saved, serverUrl: server.url }, fixture.deviceFile),
      );
      const { passcode: offline } = await device.passcode(Date.now());
      assert.equal(
        (await passcode(offline, 'device-passcode')).result,
        'allow',
        "the device's offline passcode",
      );

      const { txid } = await api.auth({ username, factor: 'push', device: 'auto', async: 1 });
      let pending = await device.pending();
      while (!pending.some((request) => request.txid === txid)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        pending = await device.pending();
      }
      // The application's policy (verifiedPush=false) holds: the device approves without a number.
      assert.equal(
        pending.find((request) => request.txid === txid)?.verification,
        null,
        'no verification code asked',
      );
      assert.equal(await device.approve(txid), 'allow');
      assert.equal((await api.authStatus(txid)).result, 'allow', 'the push device answers a push');

      const global = await cli(env, ['policy', 'show']);
      const application = await cli(env, ['policy', 'show', '--app', fixture.application.name]);
      assert.deepEqual(global.layer, { lockoutThreshold: 7 });
      assert.deepEqual(application.layer, { verifiedPush: false, rememberHours: 0 });
    } finally {
      api.close();
    }
    assert.equal(await stopServe(server), 0, server.stderr());

    const after = migrationsIn(join(dataDir, 'countersign.db'));
    assert.deepEqual(after, Object.keys(MIGRATIONS).sort(), 'the schema is this version’s');
    assert.deepEqual(
      after.slice(0, before.length),
      before,
      `the fixture's migrations (${before.at(-1)}) are a prefix of today's`,
    );
    const db = new DatabaseSync(join(dataDir, 'countersign.db'), { readOnly: true });
    try {
      assert.deepEqual(db.prepare('PRAGMA integrity_check').get()?.integrity_check, 'ok');
    } finally {
      db.close();
    }
  });
}
