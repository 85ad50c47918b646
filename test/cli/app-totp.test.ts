// `countersign app …` (the secret key shown once) and `countersign totp add` through runCli.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
  await cli.json(['user', 'add', 'carol']);
});
after(() => cli.remove());

test('app add prints the keys once; app list and app show never print the secret', async () => {
  const added = await cli.json(['app', 'add', 'VPN', '--type', 'radius']);
  assert.equal(added.name, 'VPN');
  assert.equal(added.type, 'radius');
  assert.match(String(added.ikey), /^DI[A-Z0-9]{18}$/);
  const skey = String(added.skey);
  assert.match(skey, /^[A-Za-z0-9]{40}$/);
  assert.equal(added.apiHost, '127.0.0.1:8080');
  assert.equal('skeySealed' in added, false);

  for (const args of [
    ['app', 'show', 'VPN'],
    ['app', 'show', String(added.ikey)],
    ['app', 'show', String(added.id)],
    ['app', 'list'],
  ]) {
    for (const json of [true, false]) {
      const result = await cli.run(json ? [...args, '--json'] : args);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.includes(skey), false, `${args.join(' ')} printed the secret key`);
      assert.equal(result.stdout.includes('cs1.'), false, `${args.join(' ')} printed the sealed secret`);
      assert.ok(result.stdout.includes(String(added.ikey)), `${args.join(' ')} shows the integration key`);
      if (json) JSON.parse(result.stdout);
    }
  }
  const human = await cli.run(['app', 'add', 'Wiki']);
  assert.match(human.stdout, /Secret key: {6}[A-Za-z0-9]{40}\n/);
  assert.match(human.stdout, /shown only now/);
});

test('app add refuses a duplicate name and an unknown type', async () => {
  const duplicate = await cli.run(['app', 'add', 'VPN']);
  assert.equal(duplicate.code, 2);
  assert.match(duplicate.stderr, /an application named 'VPN' already exists/);
  const badType = await cli.run(['app', 'add', 'Other', '--type', 'ftp']);
  assert.equal(badType.code, 2);
  assert.match(badType.stderr, /--type must be one of auth-api, radius/);
});

test('issue 12: app add --type admin-api takes --permissions (default read-resource,write-resource,read-log)', async () => {
  const defaults = await cli.json(['app', 'add', 'Scripts', '--type', 'admin-api']);
  assert.deepEqual(defaults.permissions, ['read-resource', 'write-resource', 'read-log']);
  const listed = await cli.json([
    'app',
    'add',
    'Log reader',
    '--type',
    'admin-api',
    '--permissions',
    'read-log, read-info',
  ]);
  assert.deepEqual(listed.permissions, ['read-log', 'read-info']);
  const shown = await cli.json(['app', 'show', 'Log reader']);
  assert.deepEqual(shown.permissions, ['read-log', 'read-info']);
  const human = await cli.run([
    'app',
    'add',
    'Help desk',
    '--type',
    'admin-api',
    '--permissions',
    'read-resource',
  ]);
  assert.match(human.stdout, /Permissions: {5}read-resource\n/);

  const unknown = await cli.run([
    'app',
    'add',
    'Bad',
    '--type',
    'admin-api',
    '--permissions',
    'read-log,root',
  ]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--permissions: unknown 'root'; use read-resource, write-resource/);
  const notAdmin = await cli.run(['app', 'add', 'Bad', '--permissions', 'read-log']);
  assert.equal(notAdmin.code, 2);
  assert.match(notAdmin.stderr, /--permissions is for --type admin-api applications only/);
  assert.equal((await cli.run(['app', 'show', 'Bad'])).code, 2, 'nothing was created');
});

test('totp add --json gives an otpauth URI with the chosen parameters', async () => {
  const result = await cli.json(['totp', 'add', 'carol', '--algorithm', 'sha256', '--digits', '8']);
  assert.equal(result.user, 'carol');
  const uri = new URL(String(result.uri));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(uri.searchParams.get('algorithm'), 'SHA256');
  assert.equal(uri.searchParams.get('digits'), '8');
  assert.equal(uri.searchParams.get('issuer'), 'Countersign');
  assert.equal(decodeBase32(uri.searchParams.get('secret') ?? '').length, 32);
  const shown = await cli.json<{ devices: Array<{ id: string; kind: string }> }>(['user', 'show', 'carol']);
  assert.deepEqual(
    shown.devices.map((device) => [device.id, device.kind]),
    [[result.id, 'totp']],
  );
});

test('totp add without --json prints a terminal QR code and the URI', async () => {
  const result = await cli.run(['totp', 'add', 'carol', '--name', 'Backup phone']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Scan this with the authenticator app for carol:/);
  assert.match(result.stdout, /[▀▄█]/);
  assert.match(result.stdout, /\notpauth:\/\/totp\/[^\n]+\n$/);
});
