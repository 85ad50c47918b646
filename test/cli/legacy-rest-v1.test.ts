// `app add --legacy-rest-v1` and `app set --legacy-rest-v1 on|off`: off by default, and a warning where it goes on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
});
after(() => cli.remove());

test('issue 10: REST v1 is off unless asked for, and switching it on says a captured request never expires', async () => {
  const plain = await cli.json(['app', 'add', 'Wiki']);
  assert.equal(plain.legacyRestV1, false);
  assert.equal('warning' in plain, false);

  const human = await cli.run(['app', 'add', 'SSH', '--type', 'auth-api', '--legacy-rest-v1']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /REST v1 is on for 'SSH'/);
  assert.match(human.stdout, /signed without a date, so a captured request never expires/);
  assert.match(human.stdout, /failmode = secure/);
  assert.equal((await cli.json(['app', 'show', 'SSH'])).legacyRestV1, true);

  const json = await cli.json(['app', 'add', 'SSH2', '--legacy-rest-v1']);
  assert.equal(json.legacyRestV1, true);
  assert.match(String(json.warning), /never expires/);
});

test('issue 10: app set switches REST v1 on (with the warning) and off, audited', async () => {
  await cli.json(['app', 'add', 'Bastion']);
  const on = await cli.run(['app', 'set', 'Bastion', '--legacy-rest-v1', 'on']);
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stdout, /REST v1 is on for 'Bastion'/);
  assert.match(on.stdout, /never expires/);
  assert.equal((await cli.json(['app', 'show', 'Bastion'])).legacyRestV1, true);
  const off = await cli.json(['app', 'set', 'Bastion', '--legacy-rest-v1', 'off']);
  assert.equal(off.legacyRestV1, false);
  assert.equal('warning' in off, false);
  const entries = await cli.json<Array<{ id: number; action: string; detail: Record<string, unknown> }>>([
    'audit',
    'tail',
  ]);
  const switches = entries
    .filter((entry) => entry.action === 'application.legacy-rest-v1')
    .sort((a, b) => a.id - b.id);
  assert.deepEqual(
    switches.map((entry) => entry.detail.to),
    [true, false],
  );
});

test('issue 10: bad uses of the switch are usage errors (exit 2)', async () => {
  await cli.json(['app', 'add', 'Radius', '--type', 'radius']);
  for (const args of [
    ['app', 'add', 'VPN2', '--type', 'radius', '--legacy-rest-v1'],
    ['app', 'set', 'Radius', '--legacy-rest-v1', 'on'],
    ['app', 'set', 'Wiki', '--legacy-rest-v1', 'yes'],
    ['app', 'set', 'Wiki'],
  ]) {
    const result = await cli.run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
  }
  const missing = await cli.run(['app', 'set', 'Nope', '--legacy-rest-v1', 'on']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /No such application/);
});
