import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newKeyRing } from '../../crypto/keyring.ts';
import { DIRECTORIES } from '../admin/sealed-settings.ts';
import { manualClock, secureRandom } from '../clock.ts';
import type { Store } from '../repositories.ts';
import { type SyncLog, type SyncTimers, scheduleDirectorySync } from './schedule-sync.ts';
import type { SyncReport } from './sync-directory.ts';

/** Timers that fire only when the test says so. */
function fakeTimers() {
  const pending = new Map<number, { run: () => void; ms: number }>();
  let next = 0;
  const timers: SyncTimers = {
    setTimeout: (run, ms) => {
      pending.set(++next, { run, ms });
      return next;
    },
    clearTimeout: (handle) => pending.delete(handle as number),
  };
  const fire = () => {
    const [id, timer] = [...pending][0] ?? [];
    assert.ok(id !== undefined && timer, 'a timer is pending');
    pending.delete(id);
    timer.run();
  };
  return { timers, pending, fire };
}

function deps(names: string[]) {
  const directories = Object.fromEntries(names.map((name) => [name, { name }]));
  const store = {
    settings: { get: async (key: string) => (key === DIRECTORIES.key ? directories : null) },
  } as unknown as Store;
  return { store, ring: newKeyRing(secureRandom), clock: manualClock(0), random: secureRandom };
}

function recordingLog() {
  const lines: Array<['info' | 'error', Record<string, unknown>, string]> = [];
  const log: SyncLog = {
    info: (details, message) => lines.push(['info', details, message]),
    error: (details, message) => lines.push(['error', details, message]),
  };
  return { log, lines };
}

const report = (name: string): SyncReport => ({
  directory: name,
  dryRun: false,
  added: ['x'],
  updated: [],
  disabled: [],
  reenabled: [],
  unchanged: 2,
  conflicts: [],
  skipped: [],
});

describe('scheduleDirectorySync', () => {
  test('0 minutes schedules nothing', async () => {
    const { timers, pending } = fakeTimers();
    const handle = scheduleDirectorySync(deps(['a']), {
      intervalMinutes: 0,
      log: recordingLog().log,
      timers,
    });
    assert.equal(pending.size, 0);
    await handle.stop();
  });

  test('every directory is synced in turn; a failure is logged and the next round is still scheduled', async () => {
    const { timers, pending, fire } = fakeTimers();
    const { log, lines } = recordingLog();
    const order: string[] = [];
    let inFlight = 0;
    const handle = scheduleDirectorySync(deps(['a', 'b', 'c']), {
      intervalMinutes: 15,
      log,
      timers,
      sync: async (name) => {
        assert.equal(inFlight++, 0, 'one directory at a time');
        order.push(name);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        if (name === 'b') throw new Error('ldap down');
        return report(name);
      },
    });
    assert.deepEqual(
      [...pending.values()].map((t) => t.ms),
      [15 * 60_000],
    );
    fire();
    assert.equal(pending.size, 0, 'the next round waits for this one to end');
    while (pending.size === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.deepEqual(
      lines.map(([level, details]) => [level, details.directory]),
      [
        ['info', 'a'],
        ['error', 'b'],
        ['info', 'c'],
      ],
    );
    assert.equal(lines[0]?.[1].added, 1);
    await handle.stop();
    assert.equal(pending.size, 0);
  });

  test('stop() waits for the round in progress and schedules no more', async () => {
    const { timers, pending, fire } = fakeTimers();
    let release: () => void = () => {};
    const order: string[] = [];
    const handle = scheduleDirectorySync(deps(['a', 'b']), {
      intervalMinutes: 1,
      log: recordingLog().log,
      timers,
      sync: async (name) => {
        order.push(name);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return report(name);
      },
    });
    fire();
    while (order.length === 0) await new Promise((resolve) => setImmediate(resolve));
    let stopped = false;
    const stopping = handle.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false);
    release();
    await stopping;
    assert.deepEqual(order, ['a'], 'no directory starts after stop()');
    assert.equal(pending.size, 0);
  });
});
