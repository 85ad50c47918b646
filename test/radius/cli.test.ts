// `countersign radius client add|list|remove` through runCli: applications, sealed secrets, bad input exits 2.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { loadRadiusClients, readStoredRadiusClients } from '../../src/core/admin/radius-clients.ts';
import { type CliSandbox, cliSandbox } from '../cli/run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
  await cli.json(['app', 'add', 'Shared VPN', '--type', 'radius']);
});
after(() => cli.remove());

const add = (name: string, ...extra: string[]) => [
  'radius',
  'client',
  'add',
  name,
  '--address',
  '10.1.0.0/16',
  '--secret',
  'first-secret-value',
  '--mode',
  'concat',
  ...extra,
];

test('add creates a radius application named after the client; list never shows the secret', async () => {
  const added = await cli.json(
    add('asa', '--reply-attribute', 'vpn-admins:Class=admins', '--failmode', 'safe'),
  );
  assert.equal(added.application, 'asa');
  assert.equal(added.applicationCreated, true);
  assert.equal(added.requireMessageAuthenticator, true);
  assert.equal(added.failmode, 'safe');
  assert.equal('secret' in added, false);
  const listed = await cli.json<Array<Record<string, unknown>>>(['radius', 'client', 'list']);
  assert.equal(listed.length, 1);
  assert.deepEqual(listed[0]?.replyAttributes, [
    { group: 'vpn-admins', attribute: 'Class', value: 'admins' },
  ]);
  const text = await cli.run(['radius', 'client', 'list']);
  assert.doesNotMatch(text.stdout + JSON.stringify(listed), /first-secret-value/);
});

test('the secret is sealed at rest and may come from standard input', async () => {
  const added = await cli.json(
    [
      ...['radius', 'client', 'add', 'pa', '--address', '10.9.8.7', '--secret', '-', '--mode', 'challenge'],
      ...['--application', 'Shared VPN', '--delimiter', '|', '--no-message-authenticator'],
    ],
    'piped-secret\n',
  );
  assert.equal(added.application, 'Shared VPN');
  assert.equal(added.requireMessageAuthenticator, false);
  const countersign = await openCountersign(buildConfig(undefined, {}, { data_dir: cli.dataDir }));
  try {
    const stored = await readStoredRadiusClients(countersign.deps.store);
    assert.doesNotMatch(JSON.stringify(stored), /piped-secret|first-secret-value/);
    const { clients, problems } = await loadRadiusClients(countersign.deps);
    assert.deepEqual(problems, []);
    assert.equal(clients.find((client) => client.name === 'pa')?.secret, 'piped-secret');
  } finally {
    await countersign.close();
  }
});

test('bad input exits 2 with a message naming the problem, and writes nothing', async () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ['radius', 'client', 'add', 'x', '--address', '10.0.0.300', '--secret', 's', '--mode', 'auto'],
      /address/,
    ],
    [['radius', 'client', 'add', 'x', '--address', '10.2.0.1', '--secret', 's', '--mode', 'push'], /--mode/],
    [['radius', 'client', 'add', 'x', '--address', '10.2.0.1', '--mode', 'auto'], /--secret/],
    [[...add('x'), '--failmode', 'open'], /--failmode/],
    [[...add('x'), '--reply-attribute', 'staff:Framed-IP=1'], /--reply-attribute/],
    [
      ['radius', 'client', 'add', 'dup', '--address', '10.1.0.0/16', '--secret', 's', '--mode', 'auto'],
      /already used/,
    ],
    [[...add('y'), '--application', 'No Such App'], /No such application/],
    [['radius', 'client', 'remove', 'ghost'], /no RADIUS client named 'ghost'/],
    [['radius', 'client', 'frobnicate'], /unknown action/],
  ];
  for (const [args, message] of cases) {
    const result = await cli.run([...args, '--json']);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  const names = (await cli.json<Array<{ name: string }>>(['radius', 'client', 'list'])).map((c) => c.name);
  assert.deepEqual(names, ['asa', 'pa']);
  const apps = await cli.json<Array<{ name: string }>>(['app', 'list']);
  assert.equal(
    apps.some((app) => app.name === 'x'),
    false,
    'no application left behind by bad input',
  );
});

test('remove deletes the client', async () => {
  assert.deepEqual(await cli.json(['radius', 'client', 'remove', 'asa']), { name: 'asa', removed: true });
  const names = (await cli.json<Array<{ name: string }>>(['radius', 'client', 'list'])).map((c) => c.name);
  assert.deepEqual(names, ['pa']);
});
