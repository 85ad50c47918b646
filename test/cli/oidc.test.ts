// `countersign app add --type oidc …` and `countersign oidc keys [rotate]` through runCli.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
});
after(() => cli.remove());

test('app add --type oidc prints the issuer, client id and secret once; app show lists the client settings', async () => {
  const added = await cli.json([
    'app',
    'add',
    'Wiki',
    '--type',
    'oidc',
    '--redirect-uri',
    'https://wiki.example.com/callback',
    '--redirect-uri',
    'http://localhost:3000/callback',
    '--post-logout-redirect-uri',
    'https://wiki.example.com/',
    '--backchannel-logout-uri',
    'https://wiki.example.com/backchannel',
    '--refresh-tokens',
    '--token-auth',
    'client_secret_post',
  ]);
  const oidc = added.oidc as Record<string, unknown>;
  assert.equal(oidc.issuer, 'http://127.0.0.1:8080/oidc');
  assert.equal(oidc.clientId, added.ikey);
  assert.equal(oidc.clientSecret, added.skey);
  assert.deepEqual(oidc.redirectUris, [
    'https://wiki.example.com/callback',
    'http://localhost:3000/callback',
  ]);
  assert.deepEqual(oidc.postLogoutRedirectUris, ['https://wiki.example.com/']);
  assert.equal(oidc.backchannelLogoutUri, 'https://wiki.example.com/backchannel');
  assert.equal(oidc.refreshTokens, true);
  assert.equal(oidc.tokenAuthMethod, 'client_secret_post');
  const shown = await cli.run(['app', 'show', 'Wiki', '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stdout.includes(String(added.skey)), false, 'app show never prints the secret');
  assert.deepEqual(
    (JSON.parse(shown.stdout).oidc as { redirectUris: string[] }).redirectUris,
    oidc.redirectUris,
  );
  const human = await cli.run([
    'app',
    'add',
    'Blog',
    '--type',
    'oidc',
    '--redirect-uri',
    'https://blog.example.com/cb',
  ]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /Issuer: {8}http:\/\/127\.0\.0\.1:8080\/oidc\n/);
  assert.match(human.stdout, /Client secret: [A-Za-z0-9]{40}\n/);
  assert.match(human.stdout, /PKCE with S256 is required/);
});

test('app add refuses an OIDC client without redirect URI, a bad URI, or OIDC options on another type (exit 2)', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['app', 'add', 'A', '--type', 'oidc'], /an OIDC client needs --redirect-uri/],
    [['app', 'add', 'B', '--type', 'oidc', '--redirect-uri', 'http://wiki.example.com/cb'], /must use https/],
    [['app', 'add', 'C', '--type', 'oidc', '--redirect-uri', 'https://x.example.com/cb#frag'], /fragment/],
    [['app', 'add', 'D', '--type', 'oidc', '--redirect-uri', 'not a url'], /not an absolute URL/],
    [
      ['app', 'add', 'E', '--type', 'radius', '--redirect-uri', 'https://x.example.com/cb'],
      /need --type oidc/,
    ],
    [
      [
        'app',
        'add',
        'F',
        '--type',
        'oidc',
        '--redirect-uri',
        'https://x.example.com/cb',
        '--token-auth',
        'mtls',
      ],
      /--token-auth must be one of/,
    ],
  ];
  for (const [args, message] of cases) {
    const result = await cli.run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  const list = await cli.json<Array<{ name: string }>>(['app', 'list']);
  assert.deepEqual(
    list.map((app) => app.name).filter((name) => name.length === 1),
    [],
    'nothing was created',
  );
});

test('oidc keys rotate promotes the published next key, retires the old one and adds a new next key', async () => {
  type Key = { kid: string; state: string; published: boolean };
  const first = await cli.json<Key[]>(['oidc', 'keys']);
  assert.deepEqual(first.map((k) => k.state).sort(), ['current', 'next']);
  const next = first.find((k) => k.state === 'next')!;
  const current = first.find((k) => k.state === 'current')!;
  const rotated = await cli.json(['oidc', 'keys', 'rotate']);
  assert.equal(rotated.promoted, next.kid, 'the key published since the last rotation signs now');
  assert.equal(rotated.retired, current.kid);
  const after = await cli.json<Key[]>(['oidc', 'keys']);
  const state = Object.fromEntries(after.map((k) => [k.kid, [k.state, k.published]]));
  assert.deepEqual(state[next.kid], ['current', true]);
  assert.deepEqual(state[current.kid], ['retired', true], 'kept published until its tokens expire');
  assert.deepEqual(state[String(rotated.added)], ['next', true]);
  const human = await cli.run(['oidc', 'keys', 'rotate']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, new RegExp(`Key ${rotated.added} signs from now on`));
});

test('user sign-out reports how many applications were told over the back channel', async () => {
  await cli.json(['user', 'add', 'olga']);
  const result = await cli.json(['user', 'sign-out', 'olga']);
  assert.equal(result.username, 'olga');
  assert.equal(result.notified, 0, 'no OpenID session: nobody to tell');
});
