// Shared helpers for the directory integration tests: a temp SQLite Countersign, slapd settings, a fake CLI Io.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Countersign, openCountersign } from '../../src/app.ts';
import type { Io } from '../../src/cli/command.ts';
import { buildConfig } from '../../src/config.ts';
import { type ManualClock, manualClock, secureRandom } from '../../src/core/clock.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import type { LdapDirectoryConfig } from '../../src/primary/ldap/index.ts';
import { configFor } from '../ldap/fixture.ts';

/** 2025-01-01T00:00:00Z: every test runs on a frozen clock. */
export const START = Date.UTC(2025, 0, 1);

export interface TestCountersign extends Countersign {
  clock: ManualClock;
  dataDir: string;
  /** Closes the store and deletes the data directory. */
  dispose(): Promise<void>;
}

/** Opens Countersign on a fresh SQLite file in a temp directory, with the default (directory-aware) PrimaryAuth. */
export async function openTestCountersign(): Promise<TestCountersign> {
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-directory-'));
  const clock = manualClock(START);
  const countersign = await openCountersign(buildConfig(undefined, {}, { data_dir: dataDir }), {
    ring: newKeyRing(secureRandom),
    clock,
  });
  return {
    ...countersign,
    clock,
    dataDir,
    async dispose() {
      await countersign.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Directory settings named `name` for the test slapd tree (short timeouts). */
export function directoryConfig(name: string, urls: string[]): LdapDirectoryConfig {
  return configFor(urls, { name });
}

/** A CLI Io that reads `stdin` (no terminal, so no prompt) and collects what is written. */
export function fakeIo(stdin = ''): { io: Io; stdout(): string; stderr(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      readStdin: async () => stdin,
      env: { USER: 'tester' },
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
