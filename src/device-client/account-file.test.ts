// Unit tests for the account files: private (0600), found by id or as the only one, bad files named clearly.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { exportPublicKey, generateDeviceKeyPair } from '../device-protocol/signing.ts';
import type { DeviceAccount } from './account.ts';
import { accountPath, listAccounts, loadAccount, saveAccount } from './account-file.ts';
import { DeviceInputError } from './errors.ts';

let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'countersign-accounts-'));
});
after(() => rm(dataDir, { recursive: true, force: true }));

async function newAccount(deviceId: string): Promise<DeviceAccount> {
  const keys = await generateDeviceKeyPair(true);
  const publicJwk = await exportPublicKey(keys.publicKey);
  const { d } = await crypto.subtle.exportKey('jwk', keys.privateKey);
  return {
    serverUrl: 'https://mfa.example.test',
    deviceId,
    username: 'alice',
    organization: 'Example',
    name: 'Laptop',
    privateJwk: { ...publicJwk, d: d! },
    publicJwk,
    totp: { secret: 'JBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'SHA1' },
  };
}

test('no account yet: loading by default says to activate first', async () => {
  await assert.rejects(loadAccount(dataDir), (error: Error) => {
    assert.ok(error instanceof DeviceInputError);
    assert.match(error.message, /no device account.*device activate/);
    return true;
  });
});

test('a saved account is mode 0600, round-trips, and is the default while it is the only one', async () => {
  const account = await newAccount('DAAAAAAAAAAAAAAAAAA1');
  const path = await saveAccount(dataDir, account);
  assert.equal(path, join(dataDir, 'devices', 'DAAAAAAAAAAAAAAAAAA1.json'));
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.equal((await stat(join(dataDir, 'devices'))).mode & 0o077, 0);
  assert.deepEqual(await loadAccount(dataDir), account);
  assert.deepEqual(await loadAccount(dataDir, account.deviceId), account);
});

test('with two accounts the default is refused and both are listed', async () => {
  await saveAccount(dataDir, await newAccount('DBBBBBBBBBBBBBBBBBB2'));
  assert.deepEqual(
    (await listAccounts(dataDir)).map((account) => account.deviceId),
    ['DAAAAAAAAAAAAAAAAAA1', 'DBBBBBBBBBBBBBBBBBB2'],
  );
  await assert.rejects(
    loadAccount(dataDir),
    /2 device accounts \(DAAAAAAAAAAAAAAAAAA1, DBBBBBBBBBBBBBBBBBB2\).*--device/,
  );
  assert.equal((await loadAccount(dataDir, 'DBBBBBBBBBBBBBBBBBB2')).deviceId, 'DBBBBBBBBBBBBBBBBBB2');
});

test('bad ids and damaged files are DeviceInputErrors naming the file and field', async () => {
  assert.throws(() => accountPath(dataDir, '../../etc/passwd'), DeviceInputError);
  await assert.rejects(loadAccount(dataDir, 'DCCCCCCCCCCCCCCCCCC3'), /no device account file/);
  const path = accountPath(dataDir, 'DBBBBBBBBBBBBBBBBBB2');
  const saved = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  await writeFile(path, JSON.stringify({ ...saved, privateJwk: saved.publicJwk }));
  await assert.rejects(loadAccount(dataDir, 'DBBBBBBBBBBBBBBBBBB2'), (error: Error) => {
    assert.ok(error instanceof DeviceInputError);
    assert.ok(error.message.startsWith(path));
    assert.match(error.message, /'privateJwk' must be a P-256 private key/);
    return true;
  });
  await writeFile(path, '{"serverUrl": ');
  await assert.rejects(loadAccount(dataDir, 'DBBBBBBBBBBBBBBBBBB2'), /not valid JSON/);
});
