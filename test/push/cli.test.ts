// `countersign device …` end to end: the CLI (runCli with a fake Io, and the real executable) against a real server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { type Clock, secureRandom, systemClock } from '../../src/core/clock.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { assertUsageError, type CliSandbox, cliSandbox, runBin } from '../cli/run-cli.ts';
import { createTestApp, startTestServer, type TestServer } from '../support/server.ts';

// The CLI signs with the wall clock, so this server runs on it too.
let server: TestServer<Clock>;
let api: AuthApiClient;
let cli: CliSandbox;

before(async () => {
  server = await startTestServer({ clock: systemClock });
  api = createAuthApiClient({ baseUrl: server.url, ...(await createTestApp(server.deps)) });
  cli = cliSandbox();
});
after(async () => {
  api.close();
  cli.remove();
  await server.close();
});

let pushes = 0;
async function push(username: string): Promise<{ txid: string; code: string }> {
  // Each push is its own request: the server runs on the real clock and Duo's Date has one-second resolution,
  // so two identical pushes within a second would be one request sent twice (a replay, refused).
  const { txid } = (await api.call('POST', '/auth/v2/auth', {
    username,
    factor: 'push',
    async: '1',
    client_supports_verified_push: '1',
    ipaddr: `192.0.2.${++pushes}`,
  })) as { txid: string };
  const status = await api.authStatus(txid);
  const code = /verification code (\d+) /.exec(status.status_msg)?.[1];
  assert.ok(code, status.status_msg);
  return { txid, code };
}

test('before activation: an empty list, and commands that need a device say how to get one', async () => {
  assert.deepEqual(await cli.json(['device', 'list']), { devices: [] });
  assertUsageError(await cli.run(['device', 'pending']), /no device account .*device activate/);
  assertUsageError(await cli.run(['device', 'activate', 'not-a-link']), /not an activation link/);
  assertUsageError(await cli.run(['device', 'activate']), /expected 1 argument/);
});

test('activate, pending, approve with the number, replay, deny as fraud, passcode', async () => {
  const enrolled = await api.enroll({ username: 'lena' });
  const activated = await cli.run([
    'device',
    'activate',
    enrolled.activation_code,
    '--name',
    'Build box',
    '--json',
  ]);
  assert.equal(activated.code, 0, activated.stderr);
  assert.doesNotMatch(activated.stdout, /privateJwk|"d"|secret/, 'no private key or seed is printed');
  const account = JSON.parse(activated.stdout) as {
    deviceId: string;
    username: string;
    file: string;
    name: string;
  };
  assert.equal(account.username, 'lena');
  assert.equal(account.name, 'Build box');
  assert.equal((await stat(account.file)).mode & 0o777, 0o600);
  assert.deepEqual(
    ((await cli.json(['device', 'list'])) as { devices: Array<{ deviceId: string }> }).devices.map(
      (device) => device.deviceId,
    ),
    [account.deviceId],
  );

  const first = await push('lena');
  const listed = await cli.json<{ requests: Array<{ txid: string }> }>(['device', 'pending']);
  assert.deepEqual(
    listed.requests.map((request) => request.txid),
    [first.txid],
  );
  const table = await cli.run(['device', 'pending']);
  assert.match(table.stdout, new RegExp(`${first.txid}\\s+\\S+\\s+lena\\s+Login`));

  assertUsageError(await cli.run(['device', 'approve', first.txid]), /3-digit number .* --code N/);
  assertUsageError(await cli.run(['device', 'approve', first.txid, '--code', 'abc']), /--code must be/);
  assert.equal((await server.deps.store.transactions.get(first.txid))?.state, 'pushed');
  assert.deepEqual(await cli.json(['device', 'approve', first.txid, '--code', first.code]), {
    txid: first.txid,
    state: 'allow',
  });
  assert.equal((await api.authStatus(first.txid)).result, 'allow');
  assertUsageError(
    await cli.run(['device', 'approve', first.txid, '--code', first.code]),
    /already finished/,
  );

  const second = await push('lena');
  assert.deepEqual(await cli.json(['device', 'deny', second.txid, '--fraud']), {
    txid: second.txid,
    state: 'fraud',
  });
  assert.equal((await api.authStatus(second.txid)).status, 'fraud');

  // The real executable, reading the same data directory from COUNTERSIGN_DATA_DIR.
  const shown = runBin(['device', 'passcode', '--json'], { env: cli.env });
  assert.equal(shown.code, 0, shown.stderr);
  const { passcode, secondsLeft, deviceId } = JSON.parse(shown.stdout) as Record<string, unknown>;
  assert.equal(deviceId, account.deviceId);
  assert.ok(typeof secondsLeft === 'number' && secondsLeft >= 1 && secondsLeft <= 30);
  assert.match(String(passcode), /^\d{6}$/);
  const login = await api.auth({ username: 'lena', factor: 'passcode', passcode: String(passcode) });
  assert.equal(login.result, 'allow');
});

test('bad device ids, unknown transactions and a second account are clear errors', async () => {
  assertUsageError(await cli.run(['device', 'pending', '--device', '../x']), /--device must be a device id/);
  assertUsageError(
    await cli.run(['device', 'deny', 'TNOSUCHTRANSACTION00']),
    /No such authentication transaction/,
  );
  assertUsageError(await cli.run(['device', 'deny', 'bad/txid']), /not a transaction id/);
  const enrolled = await api.enroll({ username: 'mike' });
  assert.equal((await cli.run(['device', 'activate', enrolled.activation_url])).code, 0);
  assertUsageError(await cli.run(['device', 'passcode']), /2 device accounts .*--device ID/);
  const reused = await cli.run(['device', 'activate', enrolled.activation_url]);
  assertUsageError(reused, /activation code is not valid/);
});

test('a server that cannot be reached is exit 1 with the reason, not a stack trace', async () => {
  // A port that was free a moment ago: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const result = await cli.run(['device', 'activate', `AAAAAAAAAAAAAAAAAAAAAA@http://127.0.0.1:${port}`]);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stderr, `countersign: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('an activation code never reads as an option: one whose first random bits spell "-" activates as typed', async () => {
  // 0xF8 starts a base64url text with '-' (1 code in 64): `device activate -…@url` was "Unknown option" (CI, stop 18).
  const leadingDash = { ...secureRandom, bytes: (n: number) => Buffer.from([0xf8, ...randomBytes(n - 1)]) };
  await api.enroll({ username: 'nora' });
  const user = (await server.deps.store.users.findByName('nora'))!;
  const { code } = await createActivation({ ...server.deps, random: leadingDash }, 'test', user);
  assert.match(code, /^[A-Za-z0-9_]/);
  const activated = await cli.run(['device', 'activate', `${code}@${server.url}`, '--json']);
  assert.equal(activated.code, 0, activated.stderr);
  assert.equal(JSON.parse(activated.stdout).username, 'nora');
});
