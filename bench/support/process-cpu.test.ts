import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { processTreeCpuMs } from './process-cpu.ts';

test('counts the CPU of a process and of the children it started', {
  skip: process.platform !== 'linux',
}, async () => {
  // A parent that starts a child spinning for a while and then waits: the CPU is the child's, not the parent's.
  const script =
    "const { spawn } = require('node:child_process');" +
    "const c = spawn(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 1500) {}; setTimeout(() => {}, 5000)'], { stdio: 'ignore' });" +
    "process.stdout.write('started\\n'); setTimeout(() => c.kill(), 4000);";
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(parent.stdout!, 'data');
  const before = processTreeCpuMs(parent.pid!);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = processTreeCpuMs(parent.pid!);
  parent.kill();
  // The child spun for 1.5 s, on a shared machine maybe less of it within the window: well above nothing.
  assert.ok(after - before >= 300, `the tree used ${after - before} ms of CPU, expected the child's spin`);
});
