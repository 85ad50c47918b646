import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { closedPortUrl } from '../ldap/fixture.ts';
import {
  GROUPS_DN,
  PEOPLE_DN,
  SLAPD_MISSING,
  type Slapd,
  SVC_DN,
  SVC_PASSWORD,
  startSlapd,
} from '../support/slapd.ts';
import { fakeIo } from './fixture.ts';

describe('countersign directory …', { skip: SLAPD_MISSING }, () => {
  let slapd: Slapd;
  let dataDir: string;
  before(async () => {
    slapd = await startSlapd();
    dataDir = await mkdtemp(join(tmpdir(), 'countersign-directory-cli-'));
    assert.equal(await runCli(['init', '--data-dir', dataDir], fakeIo().io), 0);
  });
  after(async () => {
    await slapd?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Runs the CLI against the test data directory with `stdin` piped in. */
  async function cli(args: string[], stdin = '') {
    const io = fakeIo(stdin);
    const code = await runCli([...args, '--data-dir', dataDir], io.io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  }
  const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
  const addArgs = (name: string, urls: string) => [
    'directory',
    'add',
    name,
    '--url',
    urls,
    '--bind-dn',
    SVC_DN,
    '--base-dn',
    PEOPLE_DN,
    '--user-attribute',
    'uid',
    '--user-filter',
    '(objectClass=inetOrgPerson)',
    '--group-base-dn',
    GROUPS_DN,
  ];

  test('add reads the bind password from standard input and stores the directory', async () => {
    const urls = `${await closedPortUrl()}, ${slapd.url}`;
    const added = await cli([...addArgs('corp', urls), '--json'], `${SVC_PASSWORD}\nignored\n`);
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual(json(added.stdout), {
      name: 'corp',
      urls: urls.split(', '),
      replaced: false,
    });
    const again = await cli(addArgs('corp', urls), `${SVC_PASSWORD}\n`);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /Replaced directory corp\./);
  });

  test('bad input exits 2 and names every problem at once', async () => {
    const result = await cli([...addArgs('Corp!', 'http://dc.example.org'), '--starttls'], '');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /directory name 'Corp!'/);
    assert.match(result.stderr, /'urls' must be ldap:\/\/ or ldaps:\/\/ URLs/);
    assert.match(result.stderr, /'bindPassword' must be a non-empty string/);
    assert.match(result.stderr, /usage: countersign directory add/);

    const missing = await cli(['directory', 'add', 'x', '--url', slapd.url], 'pw\n');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--bind-dn is required/);

    const noCa = await cli([...addArgs('x', slapd.url), '--ca-file', join(dataDir, 'nope.pem')], 'pw\n');
    assert.equal(noCa.code, 2);
    assert.match(noCa.stderr, /--ca-file .* cannot be read/);

    const badCa = join(dataDir, 'bad.pem');
    await writeFile(badCa, 'not a certificate');
    const notPem = await cli([...addArgs('x', slapd.url), '--ca-file', badCa], 'pw\n');
    assert.equal(notPem.code, 2);
    assert.match(notPem.stderr, /'tlsCaPem' must be PEM certificates/);
  });

  test('list shows directories but never the bind password', async () => {
    const result = await cli(['directory', 'list', '--json']);
    assert.equal(result.code, 0);
    const list = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      list.map((d) => [d.name, d.bindDn, d.userAttribute]),
      [['corp', SVC_DN, 'uid']],
    );
    assert.ok(!result.stdout.includes(SVC_PASSWORD));
    assert.ok(!result.stdout.includes('bindPassword'));
    const human = await cli(['directory', 'list']);
    assert.match(human.stdout, /^name +urls/);
    assert.match(human.stdout, /corp/);
  });

  test('test says whether a login works and what the directory holds, never the password', async () => {
    const good = await cli(['directory', 'test', 'corp', 'alice', '--json'], 'alice-pw\n');
    assert.equal(good.code, 0, good.stderr);
    const body = json(good.stdout);
    assert.equal(body.ok, true);
    assert.deepEqual((body.user as { groups: string[] }).groups, ['developers', 'staff', 'vpn-users']);
    assert.ok(!good.stdout.includes('alice-pw'));

    const bad = await cli(['directory', 'test', 'corp', 'alice'], 'wrong\n');
    assert.equal(bad.code, 0);
    assert.match(bad.stdout, /Login fails for alice: bad-credentials/);
    assert.ok(!bad.stdout.includes('wrong'));
  });

  test('on a terminal the password is asked for without echo, not read from standard input', async () => {
    const io = fakeIo();
    const questions: string[] = [];
    io.io.readStdin = () => Promise.reject(new Error('standard input must not be read'));
    io.io.promptSecret = async (question) => {
      questions.push(question);
      return 'bob-pw';
    };
    const code = await runCli(['directory', 'test', 'corp', 'bob', '--json', '--data-dir', dataDir], io.io);
    assert.equal(code, 0, io.stderr());
    assert.deepEqual(questions, ['Password for bob: ']);
    assert.equal(json(io.stdout()).ok, true);
  });

  test('sync --dry-run reports, sync applies, and the users appear', async () => {
    const dry = await cli(['directory', 'sync', 'corp', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(json(dry.stdout).added, ['alice', 'bob', 'star*paren)']);
    assert.deepEqual(JSON.parse((await cli(['user', 'list', '--json'])).stdout), []);

    const real = await cli(['directory', 'sync', 'corp']);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /Synced directory corp:\n {2}added +3: alice, bob, star\*paren\)/);
    const users = JSON.parse((await cli(['user', 'list', '--json'])).stdout) as Array<
      Record<string, unknown>
    >;
    assert.deepEqual(
      users.map((u) => [u.username, u.directory, u.hasPassword]),
      [
        ['alice', 'corp', false],
        ['bob', 'corp', false],
        ['star*paren)', 'corp', false],
      ],
    );
  });

  test('an unreachable directory exits 1 with one readable line', async () => {
    assert.equal((await cli(addArgs('down', await closedPortUrl()), 'pw\n')).code, 0);
    const result = await cli(['directory', 'sync', 'down']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^countersign: directory unavailable: no LDAP server answered/);
    assert.doesNotMatch(result.stderr, /\n\s+at /); // no stack trace
  });

  test('remove deletes the settings, keeps the users and says how many remain', async () => {
    const result = await cli(['directory', 'remove', 'corp', '--json']);
    assert.equal(result.code, 0);
    assert.deepEqual(json(result.stdout), { name: 'corp', removed: true, users: 3 });
    const list = JSON.parse((await cli(['directory', 'list', '--json'])).stdout) as Array<{ name: string }>;
    assert.deepEqual(
      list.map((d) => d.name),
      ['down'],
    );
    const again = await cli(['directory', 'remove', 'corp']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /no directory named 'corp'/);
    assert.equal((await cli(['directory', 'sync', 'corp'])).code, 2);
    assert.equal((await cli(['directory', 'test', 'corp', 'alice'], 'alice-pw\n')).code, 2);
  });

  test('every subcommand answers --json errors with an exit code', async () => {
    const result = await cli(['directory', 'remove', 'Bad Name', '--json']);
    assert.equal(result.code, 2);
    assert.equal(json(result.stdout).exitCode, 2);
  });
});
