// Writes test/fixtures/upgrade/<version>/: a data directory made by this release through its own CLI and server.
//
//   node scripts/make-upgrade-fixture.ts            # version from package.json
//
// Run it when a release is cut, on the release's commit, and commit the folder it writes: test/store/upgrade.test.ts
// opens every folder there with the current code (migrations run) and checks that each factor still works. The
// secrets in it (master key, application secret key, TOTP seed, bypass codes, device key) are test-only.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { environment, startServe, stopServe } from '../test/support/serve-process.ts';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/countersign.js');

/** What the upgrade test needs to log in with, beside the data directory itself. */
export interface UpgradeFixture {
  version: string;
  username: string;
  application: { name: string; ikey: string; skey: string };
  /** The TOTP seed in base32, as the otpauth:// URI gave it. */
  totpSecret: string;
  /** Unspent bypass codes, no expiry. */
  bypassCodes: string[];
  /** The activated push device's account file, relative to the fixture folder. */
  deviceFile: string;
  /** The policy layers set, as `policy set` took them. */
  policy: { global: string[]; application: string[] };
}

async function countersign(env: NodeJS.ProcessEnv, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await exec(process.execPath, [BIN, ...args, '--json'], { env });
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const out = join(ROOT, 'test/fixtures/upgrade', version);
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-upgrade-fixture-'));
  const env = environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'warn',
    USER: 'fixture',
  });
  try {
    await countersign(env, ['init']);
    const app = await countersign(env, ['app', 'add', 'Upgrade']);
    await countersign(env, ['user', 'add', 'alice', '--email', 'alice@example.org']);
    const totp = await countersign(env, ['totp', 'add', 'alice']);
    const bypass = await countersign(env, ['bypass', 'issue', 'alice', '--count', '3', '--expires', 'never']);
    const policy = { global: ['lockoutThreshold=7'], application: ['verifiedPush=false', 'rememberHours=0'] };
    await countersign(env, ['policy', 'set', ...policy.global]);
    await countersign(env, ['policy', 'set', '--app', 'Upgrade', ...policy.application]);
    const server = await startServe(env);
    try {
      const enrolled = await countersign(env, ['push', 'enroll', 'alice']);
      const code = String(enrolled.activationCode).split('@')[0];
      await countersign(env, ['device', 'activate', `${code}@${server.url}`, '--name', 'upgrade fixture']);
    } finally {
      await stopServe(server);
    }
    const [deviceFile] = await readdir(join(dataDir, 'devices'));
    if (!deviceFile) throw new Error('the device was not saved');

    // One self-contained file (no -wal), compacted: what a stopped server leaves, made small for the repository.
    const db = new DatabaseSync(join(dataDir, 'countersign.db'));
    db.exec('PRAGMA journal_mode=DELETE');
    db.exec('VACUUM');
    db.close();

    await rm(out, { recursive: true, force: true });
    await mkdir(join(out, 'devices'), { recursive: true });
    await copyFile(join(dataDir, 'countersign.db'), join(out, 'countersign.db'));
    await copyFile(join(dataDir, 'master.key'), join(out, 'master.key'));
    await copyFile(join(dataDir, 'devices', deviceFile), join(out, 'devices', deviceFile));
    const fixture: UpgradeFixture = {
      version,
      username: 'alice',
      application: { name: 'Upgrade', ikey: String(app.ikey), skey: String(app.skey) },
      totpSecret: new URL(String(totp.uri)).searchParams.get('secret') ?? '',
      bypassCodes: bypass.codes as string[],
      deviceFile: `devices/${deviceFile}`,
      policy,
    };
    await writeFile(join(out, 'fixture.json'), `${JSON.stringify(fixture, null, 2)}\n`);
    // In the repository's JSON style, so `biome check .` stays clean.
    await exec(process.execPath, [
      join(ROOT, 'node_modules/@biomejs/biome/bin/biome'),
      'format',
      '--write',
      out,
    ]);
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
