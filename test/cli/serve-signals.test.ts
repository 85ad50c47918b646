// `countersign serve` stops gracefully on SIGTERM from the moment it says it is listening.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Io } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'countersign-serve-signals-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('issue 10: serve listens for SIGTERM before it announces that it is listening', async () => {
  const before = new Set(process.listeners('SIGTERM'));
  const added = () => process.listeners('SIGTERM').filter((listener) => !before.has(listener));
  let atAnnouncement: number | undefined;
  let announced!: () => void;
  const announcement = new Promise<void>((resolve) => {
    announced = resolve;
  });
  const io: Io = {
    stdout: (text) => {
      // A supervisor (or a test) may send SIGTERM as soon as it reads this line.
      if (atAnnouncement === undefined && text.includes('listening on')) {
        atAnnouncement = added().length;
        announced();
      }
    },
    stderr: () => undefined,
    readStdin: async () => '',
    env: {
      USER: 'tester',
      COUNTERSIGN_DATA_DIR: dataDir,
      COUNTERSIGN_HTTP_HOST: '127.0.0.1',
      COUNTERSIGN_HTTP_PORT: '0',
      COUNTERSIGN_RADIUS_PORT: '0',
      COUNTERSIGN_METRICS_PORT: '0',
      COUNTERSIGN_LOG_LEVEL: 'silent',
    },
  };
  assert.equal(await runCli(['init'], io), 0);
  const serving = runCli(['serve'], io);
  await announcement;
  // Stop it the way SIGTERM would, through the listener serve added (a real signal would stop this test too).
  await new Promise((resolve) => setImmediate(resolve));
  const [stop] = added();
  assert.ok(stop, 'serve listens for SIGTERM');
  stop('SIGTERM');
  assert.equal(await serving, 0);
  assert.deepEqual(added(), [], 'the listener is gone after shutdown');
  assert.equal(atAnnouncement, 1, 'the SIGTERM listener was there when the announcement was written');
});
