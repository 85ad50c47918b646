// Debian's pam_duo.so 1.11.3 (REST v1) through pamtester, with a PAM configuration private to the test.
//
// pamtester calls pam_start(), which reads /etc/pam.d/<service> (libpam's pam_start_confdir is not used by it, and
// PAM_CONFDIR is fixed at build time). So each run happens in a mount namespace of its own (`unshare --mount`)
// where a temporary directory is bind-mounted over /etc/pam.d: the machine's PAM configuration is never touched,
// not even for a moment, and nothing is left behind if the test dies. That needs root (CAP_SYS_ADMIN); elsewhere
// the test is skipped and says why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DeviceClient } from '../../src/device-client/client.ts';
import { addTestTotp, createTestUser, type TestTotp } from '../support/server.ts';
import { documentedSshAuthStack } from './documented.ts';
import {
  approveWhenAsked,
  CLIENT_PATH,
  type DuoUnixWorld,
  PAMTESTER,
  type Ran,
  type Running,
  start,
  startDuoUnixWorld,
} from './world.ts';

const PAM_DUO = '/lib/x86_64-linux-gnu/security/pam_duo.so';
/** pam_duo looks the PAM user up with getpwnam(): a Unix account every machine has. */
const USER = 'root';

/** Why the test cannot run here, or false. */
function cannotRun(): string | false {
  if (!existsSync(PAM_DUO)) return `${PAM_DUO} is not installed (Debian package libpam-duo)`;
  if (!existsSync(PAMTESTER)) return `${PAMTESTER} is not installed (Debian package pamtester)`;
  if (process.getuid?.() !== 0) return 'a private /etc/pam.d needs a mount namespace, which needs root';
  const probe = spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']);
  if (probe.status !== 0) return `unshare --mount is not permitted here: ${probe.stderr.toString().trim()}`;
  return false;
}

const skip = cannotRun();

/** A digest of the machine's /etc/pam.d: every name and every file's bytes. */
function machinePamConfig(): string {
  const hash = createHash('sha256');
  for (const entry of readdirSync('/etc/pam.d', { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    hash.update(`${entry.name}\0`);
    if (entry.isFile()) hash.update(readFileSync(join('/etc/pam.d', entry.name)));
  }
  return hash.digest('hex');
}

describe('pam_duo 1.11.3 through pamtester', { skip }, () => {
  let world: DuoUnixWorld;
  let keys: { ikey: string; skey: string };
  let totp: TestTotp;
  let phone: DeviceClient;
  let services = 0;
  let pamConfigBefore: string;

  before(async () => {
    pamConfigBefore = machinePamConfig();
    world = await startDuoUnixWorld();
    keys = await world.app();
    const root = await createTestUser(world.server.deps, USER);
    totp = await addTestTotp(world.server.deps, root);
    phone = await world.device(root);
  });
  after(() => world?.close());

  /**
   * A private PAM directory holding `service` with the documented SSH auth stack (docs/pam.md), pam_duo reading
   * `conf` and logging to stderr (`debug`). Returns the directory to bind over /etc/pam.d.
   */
  async function pamDir(service: string, conf: string): Promise<string> {
    const dir = join(world.dir, `pam.d-${++services}`);
    await mkdir(dir);
    const stack = documentedSshAuthStack().map((line) =>
      /\bpam_duo\.so\b/.test(line) ? `${line.trimEnd()} conf=${conf} debug` : line,
    );
    await writeFile(join(dir, service), `${stack.join('\n')}\n`);
    return dir;
  }

  /**
   * pamtester's authenticate for `service` in a namespace where /etc/pam.d is `dir`, on a terminal (`script`): as
   * a login program would, and so that the status lines pam_duo sends are written at once, not when it exits.
   */
  function pamtester(dir: string, service: string, options: { input?: string } = {}): Running {
    const command = `pamtester -v ${service} ${USER} authenticate`;
    const script = 'mount --bind "$0" /etc/pam.d && exec script --quiet --return --command "$1" /dev/null';
    return start('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, dir, command], {
      env: { PATH: CLIENT_PATH, TERM: 'dumb' },
      ...(options.input !== undefined && {
        input: `${options.input}\n`,
        waitFor: /Passcode( or option \(1-\d+\))?: /,
      }),
    });
  }

  function assertAuthenticated(ran: Ran): void {
    assert.equal(ran.code, 0, `pamtester failed:\n${ran.stderr}${ran.stdout}`);
    assert.match(`${ran.stdout}${ran.stderr}`, /successfully authenticated/);
    // On a terminal pamtester's and pam_duo's standard error come out with the rest.
    assert.match(`${ran.stdout}${ran.stderr}`, new RegExp(`Successful Duo login for '${USER}'`));
  }

  function assertRefused(ran: Ran, log: RegExp): void {
    assert.notEqual(ran.code, 0, `pamtester authenticated:\n${ran.stderr}${ran.stdout}`);
    assert.doesNotMatch(`${ran.stdout}${ran.stderr}`, /successfully authenticated/);
    assert.match(`${ran.stdout}${ran.stderr}`, log);
  }

  test('issue 10: the sshd service (synchronous, autopush) is approved by the headless device', async () => {
    const dir = await pamDir('sshd', await world.conf('pam_duo.conf', keys));
    const [ran] = await Promise.all([pamtester(dir, 'sshd').done, approveWhenAsked(phone)]);
    assertAuthenticated(ran);
  });

  test('issue 10: a push the device denies fails the PAM stack', async () => {
    const dir = await pamDir('sshd', await world.conf('pam_duo.conf', keys));
    const deny = async () => {
      for (;;) {
        const [request] = await phone.pending();
        if (request) return phone.deny(request.txid);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const [ran] = await Promise.all([pamtester(dir, 'sshd').done, deny()]);
    assertRefused(ran, /Failed Duo login for 'root'/);
    world.server.clock.advance(60 * 60_000);
  });

  test('issue 10: the numbered menu (another service, asynchronous): option 1, status lines, approved', async () => {
    const conf = await world.conf('pam_duo.conf', keys, { autopush: 'no' });
    const dir = await pamDir('countersign-test', conf);
    const login = pamtester(dir, 'countersign-test', { input: '1' });
    await login.seen(/Pushed a login request to your device\.\.\./);
    await approveWhenAsked(phone);
    const ran = await login.done;
    assertAuthenticated(ran);
    assert.match(`${ran.stdout}${ran.stderr}`, / 1\. Push to headless/);
    assert.match(ran.stdout, /Success\. Logging you in\.\.\./);
  });

  test('issue 10: the menu takes a typed passcode, and refuses a wrong one', async () => {
    const conf = await world.conf('pam_duo.conf', keys, { autopush: 'no' });
    const dir = await pamDir('countersign-test', conf);
    const code = totp.codeAt(world.server.clock.now());
    world.server.clock.advance(30_000);
    assertAuthenticated(await pamtester(dir, 'countersign-test', { input: code }).done);
    const wrong = await pamtester(dir, 'countersign-test', { input: '123456' }).done;
    assertRefused(wrong, /Failed Duo login for 'root'/);
    assert.match(wrong.stdout, /Incorrect passcode/);
  });

  test('issue 10: REST v1 switched off is a denial even with failmode = safe', async () => {
    const off = await world.app({ legacyRestV1: false });
    const dir = await pamDir('sshd', await world.conf('pam_duo.conf', off, { failmode: 'safe' }));
    assertRefused(
      await pamtester(dir, 'sshd').done,
      /Aborted Duo login for 'root': Legacy REST v1 is switched off/,
    );
  });

  test('issue 10: the machine’s /etc/pam.d is as it was: the tests used a private one', () => {
    assert.equal(machinePamConfig(), pamConfigBefore);
    assert.equal(existsSync('/etc/pam.d/countersign-test'), false);
  });
});
