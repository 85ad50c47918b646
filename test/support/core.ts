// Builds a CoreDeps on a temporary SQLite store with a frozen clock, plus helpers to make users, apps and codes.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTotp, type TotpOptions } from '../../src/core/admin/add-totp.ts';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { createUser, type NewUser } from '../../src/core/admin/create-user.ts';
import { type ManualClock, manualClock, secureRandom } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import { inProcessBus } from '../../src/core/events.ts';
import { NO_START_LIMITS } from '../../src/core/limits/start-limits.ts';
import type { Application, Authenticator, PolicyLayer, User } from '../../src/core/model.ts';
import { silentNotifier } from '../../src/core/notify.ts';
import { localPrimaryAuth } from '../../src/core/primary-auth.ts';
import { authenticateWithPasscode } from '../../src/core/transaction/index.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import { open } from '../../src/crypto/secret-box.ts';
import { seedContext } from '../../src/methods/totp/totp-method.ts';
import { openStore } from '../../src/store/open-store.ts';
import { telephonyOff } from '../../src/telephony/telephony.ts';

/** 2025-06-02T00:00:15Z: 15 s into a 30 s TOTP step, so ±31 s and ±61 s land on neighbouring steps. */
export const FROZEN_START = Date.UTC(2025, 5, 2, 0, 0, 15);

export interface CoreHarness {
  deps: CoreDeps;
  clock: ManualClock;
  /** The temporary directory holding the SQLite file (and its -wal/-shm companions). */
  dir: string;
  sqlitePath: string;
  /** Creates a user with a unique name (no password unless given). */
  user(input?: Partial<NewUser>): Promise<User>;
  /** Re-reads a user from the store (status and failure count change behind the object's back). */
  reload(user: User): Promise<User>;
  /** Creates an auth-api application with a unique name and an optional policy layer. */
  app(policy?: PolicyLayer): Promise<Application>;
  /** Enrolls a TOTP authenticator; returns it with its plain seed. */
  totp(user: User, options?: Partial<TotpOptions>): Promise<{ authenticator: Authenticator; seed: Buffer }>;
  /** The TOTP code of `authenticator` at `atMs` (default: the frozen now). */
  totpCode(authenticator: Authenticator, seed: Buffer, atMs?: number): string;
  /** One-shot passcode login as a front would do it: the user is re-read first. */
  login(user: User, app: Application, code: string, ip?: string): ReturnType<typeof authenticateWithPasscode>;
  /** Every byte of the database files (main file, WAL, shared memory), concatenated. */
  databaseBytes(): Buffer;
  close(): Promise<void>;
}

/** Opens a fresh store in a temp directory with a frozen clock at `start`; close() removes it all. */
export async function openCoreHarness(start = FROZEN_START): Promise<CoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-core-'));
  const sqlitePath = join(dir, 'countersign.db');
  const store = await openStore({ sqlitePath });
  const clock = manualClock(start);
  const deps: CoreDeps = {
    store,
    bus: inProcessBus(),
    clock,
    random: secureRandom,
    ring: newKeyRing(secureRandom),
    primary: localPrimaryAuth,
    notify: silentNotifier,
    // Core tests make many logins on a frozen clock; the start limits have tests of their own.
    limits: NO_START_LIMITS,
    telephony: telephonyOff(),
  };
  let serial = 0;
  const unique = (prefix: string) => `${prefix}${++serial}`;
  const harness: CoreHarness = {
    deps,
    clock,
    dir,
    sqlitePath,
    user: (input = {}) => createUser(deps, 'test', { username: unique('user'), ...input }),
    async reload(user) {
      const current = await store.users.get(user.id);
      if (!current) throw new Error(`user ${user.id} vanished`);
      return current;
    },
    app: async (policy = {}) =>
      (await createApplication(deps, 'test', { name: unique('app'), type: 'auth-api', policy })).app,
    async totp(user, options = {}) {
      const { authenticator } = await addTotp(deps, 'test', user, { issuer: 'Test', ...options });
      const seed = open(deps.ring, authenticator.secretSealed!, seedContext(authenticator.id));
      return { authenticator, seed };
    },
    totpCode: (authenticator, seed, atMs = clock.now()) =>
      generateTotp(seed, atMs, {
        digits: authenticator.digits as 6 | 8,
        algorithm: authenticator.algorithm,
        period: authenticator.period,
      }),
    login: async (user, app, code, ip = '198.51.100.7') =>
      authenticateWithPasscode(deps, { app, user: await harness.reload(user), ip }, code),
    databaseBytes: () =>
      Buffer.concat(
        readdirSync(dir)
          .filter((name) => name.startsWith('countersign.db'))
          .map((name) => readFileSync(join(dir, name))),
      ),
    async close() {
      await deps.bus.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
