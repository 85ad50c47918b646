// Debian's login_duo 1.11.3 (REST v1) against Countersign: passcode from DUO_PASSCODE, autopush, the menu.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../src/core/model.ts';
import { addTestTotp, createTestUser, type TestTotp } from '../support/server.ts';
import {
  approveWhenAsked,
  CLIENT_PATH,
  type DuoUnixWorld,
  LOGIN_DUO,
  loginDuoArgs,
  run,
  startDuoUnixWorld,
} from './world.ts';

const missing = existsSync(LOGIN_DUO) ? false : `${LOGIN_DUO} is not installed (Debian package login-duo)`;

describe('login_duo 1.11.3', { skip: missing }, () => {
  let world: DuoUnixWorld;
  let keys: { ikey: string; skey: string };
  let alice: User;
  let totp: TestTotp;

  before(async () => {
    world = await startDuoUnixWorld();
    keys = await world.app();
    alice = await createTestUser(world.server.deps, 'alice');
    totp = await addTestTotp(world.server.deps, alice);
  });
  after(() => world?.close());

  const loginDuo = async (conf: string, user: string, env: Record<string, string> = {}) =>
    run(LOGIN_DUO, loginDuoArgs(conf, user), { env: { PATH: CLIENT_PATH, ...env } });

  test('issue 10: a passcode from DUO_PASSCODE (accept_env_factor = yes) logs the user in', async () => {
    const conf = await world.conf('login_duo.conf', keys, { accept_env_factor: 'yes' });
    const ran = await loginDuo(conf, 'alice', { DUO_PASSCODE: totp.codeAt(world.server.clock.now()) });
    assert.equal(ran.code, 0, `login_duo failed:\n${ran.stderr}${ran.stdout}`);
    assert.match(ran.stdout, /LOGGED-IN/);
    assert.match(ran.stderr, /Successful Duo login for 'alice'/);
  });
});
