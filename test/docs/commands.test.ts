// Every command line in README.md and docs/ runs, as written, against a scratch data directory: docs and CLI cannot drift.
//
// How a document's commands run (one scratch data directory per document, its commands in order, each through bash
// with `set -eo pipefail` from the repository root, exit status 0 expected):
// - `countersign …` is what a global install puts on PATH: here a shim in front of PATH runs bin/countersign.js.
//   `npx countersign …` and `npx node …` run through the real npx (offline, so it never fetches a package).
// - Before the first command, `countersign init` (what `npm start` does first) and the document's PRECONDITIONS.
// - Documents in NEEDS_SERVER get `countersign serve` on the scratch directory, as with `npm start` in a second
//   terminal; every listener is on a free port.
// - Placeholders a reader fills in (keys printed earlier, a code from the authenticator app, the server's address)
//   are listed in PLACEHOLDERS, each read by a CAPTURES entry from the output of the command that printed it.
// - Commands that read a secret from standard input get it from STDIN; where a document says what a command
//   prints, EXPECTED_OUTPUT checks it.
// - Commands that cannot run in a test are in NOT_RUN with the reason; commands that serve until stopped are in
//   SERVES: started, awaited until they say they listen, stopped with SIGTERM (exit 0 expected).
// Every table entry must match a command in the docs, so a stale entry fails as surely as a stale doc.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import { BIN, environment, type ServeProcess, startServe, stopServe } from '../support/serve-process.ts';
import { type DocCommand, shellCommands } from './shell-blocks.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** README.md and every Markdown file under docs/. */
function documents(): string[] {
  const found = ['README.md'];
  const visit = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  visit('docs');
  return found;
}

/** Why docs/pam.md's commands for the SSH server are not run here. */
const SSH_SERVER =
  'needs root on the SSH server, not on the Countersign host; test/rest-v1/login-duo.test.ts and pam-duo.test.ts run the real duo_unix 1.11.3 binaries against the server instead';

/** Commands not run here, and why. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm start':
    'installs packages from the registry and serves until stopped; .ci/run runs `npm ci` on a clean clone, and this test starts the same server (`countersign serve`) itself',
  'npm test': 'the whole suite, this test included',
  'npm run typecheck': '.ci/run runs it as a step of its own',
  'npm run lint': '.ci/run runs it as a step of its own',
  'npm run bench': 'benchmarks take minutes and measure the machine, not the docs',
  'npm run mutate':
    'rewrites source files (one mutant at a time) that the tests running at the same time load, for minutes',
  'npm run build': 'rebuilds web/dist, which other tests running at the same time serve',
  'npx vite build --config web/portal/vite.config.ts':
    'rebuilds web/dist/portal, which other tests running at the same time serve',
  'npx node scripts/screenshots.ts': 'drives Chromium and rewrites docs/screenshots',
  'npx node scripts/screenshots-portal.ts': 'drives Chromium and rewrites docs/screenshots',
  'npx node scripts/screenshots-prompt.ts': 'drives Chromium and rewrites docs/screenshots',
  'pg_dump --format=custom --file=/var/backups/countersign.dump --dbname=postgres://countersign@db.example.org/countersign':
    'needs that PostgreSQL server; test/cli/backup-restore.test.ts runs the pg_dump line `countersign backup` prints',
  'pg_restore --clean --if-exists --no-owner --single-transaction --dbname=postgres://countersign@db.example.org/countersign /var/backups/countersign.dump':
    'needs that PostgreSQL server; test/cli/backup-restore.test.ts runs the pg_restore line `countersign restore` prints',
  "echo 'Message-Authenticator = 0x00' | radclient -x 127.0.0.1:1812 status SECRET":
    'needs a RADIUS client added with a secret the reader chose, and the server on the standard port; test/radius/rules.test.ts sends radclient status to a real server instead',
  'sudo mkdir -p /etc/countersign': "needs root and changes the machine's /etc",
  'sudo cp -r src/fronts/notify/mail-templates /etc/countersign/mail-templates':
    "needs root and changes the machine's /etc; the templates it copies are loaded by test/notify tests",
  // docs/pam.md: the SSH server's side, run as root on that machine.
  'apt-get update': SSH_SERVER,
  'apt-get install -y libpam-duo login-duo': SSH_SERVER,
  'chmod 600 /etc/security/pam_duo.conf': SSH_SERVER,
  'chown root:root /etc/security/pam_duo.conf': SSH_SERVER,
  'apt-get install -y pamtester': SSH_SERVER,
  'pamtester sshd alice authenticate':
    'needs root, a configured PAM stack and a phone that approves the push; test/rest-v1/pam-duo.test.ts runs pam_duo through a PAM conversation',
  'systemctl reload ssh': SSH_SERVER,
  'chown sshd:root /etc/security/login_duo.conf': SSH_SERVER,
  'chmod 600 /etc/security/login_duo.conf': SSH_SERVER,
  "echo 'ForceCommand /usr/sbin/login_duo' > /etc/ssh/sshd_config.d/login-duo.conf": SSH_SERVER,
};

/** Commands that serve until stopped. */
const SERVES = new Set(['countersign serve']);

/** What a document takes for granted before its first command, made the way its reader would make it. */
const PRECONDITIONS: Record<string, string[]> = {
  'docs/policy.md': ['countersign app add Workday', 'countersign app add VPN'],
};

/** Documents whose commands talk to a running server. */
const NEEDS_SERVER = new Set(['README.md']);

/** What earlier commands printed and later ones use, per document. */
interface Values {
  url?: string;
  ikey?: string;
  skey?: string;
  totpSecret?: Uint8Array;
}

function matched(text: string, pattern: RegExp): string {
  const found = pattern.exec(text)?.[1];
  assert.ok(found, `expected ${pattern} in:\n${text}`);
  return found;
}

/** Values read from a command's standard output. */
const CAPTURES: Array<{ document: string; command: string; read(stdout: string, values: Values): void }> = [
  {
    document: 'README.md',
    command: 'npx countersign app add "Payroll"',
    read(stdout, values) {
      values.ikey = matched(stdout, /Integration key:\s+(DI[A-Z0-9]{18})\n/);
      values.skey = matched(stdout, /Secret key:\s+([A-Za-z0-9]{40})\n/);
    },
  },
  {
    document: 'README.md',
    command: 'npx countersign totp add alice',
    read(stdout, values) {
      values.totpSecret = decodeBase32(matched(stdout, /otpauth:\/\/totp\/\S*[?&]secret=([A-Z2-7]+)/));
    },
  },
];

/** Text a reader replaces, exactly as written in the document, and what this test puts there. */
const PLACEHOLDERS: Array<{ document: string; text: string; value(values: Values): string }> = [
  // `npm start` listens on 8080; the test's server on a free port.
  { document: 'README.md', text: 'http://127.0.0.1:8080', value: (values) => need(values.url, 'url') },
  {
    document: 'README.md',
    text: 'COUNTERSIGN_IKEY=DI...',
    value: (values) => `COUNTERSIGN_IKEY=${need(values.ikey, 'ikey')}`,
  },
  {
    document: 'README.md',
    text: 'COUNTERSIGN_SKEY=...',
    value: (values) => `COUNTERSIGN_SKEY=${need(values.skey, 'skey')}`,
  },
  // A backup file outside the repository and /var: in the document's scratch directory.
  {
    document: 'docs/security.md',
    text: '/var/backups/countersign.db',
    value: () => join(scratch, 'docs-security-md', 'countersign-backup.db'),
  },
  // "a code from the app": the one the enrolled seed gives now.
  {
    document: 'README.md',
    text: 'alice 123456',
    value: (values) =>
      `alice ${generateTotp(need(values.totpSecret, 'totpSecret'), Date.now(), { algorithm: 'sha1', digits: 6, period: 30 })}`,
  },
];

/** What a command must print, where the document says so. */
const EXPECTED_OUTPUT: Record<string, RegExp> = {
  // README: "The example prints `preauth: auth (Account is active)` and then `auth: allow (Success. Logging you in...)`."
  'COUNTERSIGN_URL=http://127.0.0.1:8080 COUNTERSIGN_IKEY=DI... COUNTERSIGN_SKEY=... npx node examples/auth-api-login.ts alice 123456':
    /^preauth: auth \(Account is active\)\nauth: allow \(Success\. Logging you in\.\.\.\)\n$/,
};

function need<T>(value: T | undefined, name: string): T {
  assert.ok(value !== undefined, `no ${name} captured yet: a CAPTURES entry must come first`);
  return value;
}

/** Table entries that matched a command (each must, or the table is stale). */
const used = new Set<unknown>();

const scratch = mkdtempSync(join(tmpdir(), 'countersign-docs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
mkdirSync(join(scratch, 'bin'));
writeFileSync(join(scratch, 'bin', 'countersign'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`, {
  mode: 0o755,
});

/** A document's environment: its own data directory, free ports, no COUNTERSIGN_* of the parent, npx offline. */
function documentEnv(document: string): NodeJS.ProcessEnv {
  return environment({
    PATH: `${join(scratch, 'bin')}:${process.env.PATH ?? ''}`,
    COUNTERSIGN_DATA_DIR: join(scratch, document.replace(/[^A-Za-z0-9]+/g, '-'), 'data'),
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_HTTP_PORT: '0',
    COUNTERSIGN_RADIUS_PORT: '0',
    COUNTERSIGN_METRICS_PORT: '0',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  });
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `script` in bash from the repository root, in a process group of its own. */
function startBash(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn('bash', ['-c', `set -eo pipefail\n${script}`], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Runs `script` to its end (60 s at most); standard input is `stdin` or empty. */
async function runBash(script: string, env: NodeJS.ProcessEnv, stdin = ''): Promise<Ran> {
  const child = startBash(script, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdin!.end(stdin);
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Runs a command that serves: waits for "listening", stops it with SIGTERM, expects a clean exit. */
async function runServing(script: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const child = startBash(script, env);
  child.stdin!.end();
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const closed = once(child, 'close') as Promise<[number | null]>;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (/listening on http/i.test(stdout)) resolve();
    });
    closed.then(() => reject(new Error(`exited before listening:\n${stdout}${stderr}`)), reject);
  });
  process.kill(-child.pid!, 'SIGTERM');
  const [code] = await closed;
  return { code, stdout, stderr };
}

/** Puts this test's values in for a document's placeholders. */
function filledIn(command: DocCommand, values: Values): string {
  let script = command.source;
  for (const placeholder of PLACEHOLDERS) {
    if (placeholder.document !== command.document || !script.includes(placeholder.text)) continue;
    used.add(placeholder);
    script = script.split(placeholder.text).join(placeholder.value(values));
  }
  return script;
}

/** Stdin for commands that read a secret from it (`--secret -`), as the reader would type it. */
const STDIN: Record<string, string> = {
  'countersign radius client add pa --address 192.0.2.20 --secret - --mode challenge --reply-attribute vpn-admins:Class=admins --reply-attribute staff:Filter-Id=acl-staff':
    'a-long-random-secret\n',
};

async function runDocument(document: string, commands: DocCommand[]): Promise<void> {
  const env = documentEnv(document);
  const values: Values = {};
  const setup = await runBash(['countersign init', ...(PRECONDITIONS[document] ?? [])].join('\n'), env);
  assert.equal(setup.code, 0, `${document}: set-up failed:\n${setup.stderr}`);
  if (PRECONDITIONS[document]) used.add(PRECONDITIONS[document]);
  let server: ServeProcess | undefined;
  if (NEEDS_SERVER.has(document)) {
    server = await startServe(env);
    values.url = server.url;
  }
  try {
    for (const command of commands) {
      const where = `${command.document}:${command.line}: ${command.key}`;
      if (command.key in NOT_RUN) {
        used.add(command.key);
        continue;
      }
      const script = filledIn(command, values);
      if (SERVES.has(command.key)) used.add(command.key);
      if (command.key in STDIN) used.add(STDIN[command.key]);
      // `exec`: the command itself receives the SIGTERM, as it would from a terminal's Ctrl-C or systemd.
      const ran = SERVES.has(command.key)
        ? await runServing(`exec ${script}`, env)
        : await runBash(script, env, STDIN[command.key]);
      assert.equal(ran.code, 0, `${where}\nexited ${ran.code}:\n${ran.stderr}${ran.stdout}`);
      const expected = EXPECTED_OUTPUT[command.key];
      if (expected) {
        used.add(expected);
        assert.match(ran.stdout, expected, where);
      }
      for (const capture of CAPTURES) {
        if (capture.document !== command.document || capture.command !== command.key) continue;
        used.add(capture);
        capture.read(ran.stdout, values);
      }
    }
  } finally {
    if (server) assert.equal(await stopServe(server), 0, server.stderr());
  }
}

const all = documents().map((document) => ({
  document,
  markdown: readFileSync(join(ROOT, document), 'utf8'),
}));

test('command lines are written in ```sh blocks (the ones this test runs)', () => {
  for (const { document, markdown } of all) {
    const other = /^```(bash|shell|console|zsh)\b/m.exec(markdown);
    assert.equal(other, null, `${document}: write command lines in a \`\`\`sh block, not ${other?.[0]}`);
  }
});

for (const { document, markdown } of all) {
  const commands = shellCommands(document, markdown);
  if (commands.length === 0) continue;
  test(`issue 10: every command in ${document} runs as written`, () => runDocument(document, commands));
}

test('every entry of the tables above matches a command in the docs', () => {
  const stale = [
    ...Object.keys(NOT_RUN).filter((key) => !used.has(key)),
    ...[...SERVES].filter((key) => !used.has(key)),
    ...Object.entries(PRECONDITIONS)
      .filter(([, list]) => !used.has(list))
      .map(([document]) => `PRECONDITIONS ${document}`),
    ...CAPTURES.filter((entry) => !used.has(entry)).map((entry) => `CAPTURES ${entry.command}`),
    ...PLACEHOLDERS.filter((entry) => !used.has(entry)).map((entry) => `PLACEHOLDERS ${entry.text}`),
    ...Object.entries(STDIN)
      .filter(([, input]) => !used.has(input))
      .map(([key]) => `STDIN ${key}`),
    ...Object.entries(EXPECTED_OUTPUT)
      .filter(([, pattern]) => !used.has(pattern))
      .map(([key]) => `EXPECTED_OUTPUT ${key}`),
    ...[...NEEDS_SERVER].filter((document) => !all.some((entry) => entry.document === document)),
  ];
  assert.deepEqual(
    stale,
    [],
    'table entries that matched no command run (stale, or after a document test above that failed first)',
  );
});
