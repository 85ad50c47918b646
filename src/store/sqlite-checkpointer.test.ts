// Unit tests for the WAL checkpoint worker: it copies committed pages into the database file off the main thread.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { openSqliteDatabase } from './sqlite-database.ts';

const dir = mkdtempSync(join(tmpdir(), 'countersign-checkpoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Polls until `condition` holds or `ms` pass; returns whether it held. */
async function eventually(condition: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(10)) if (condition()) return true;
  return condition();
}

it('sets the main connection automatic checkpoint threshold', () => {
  const db = openSqliteDatabase(join(dir, 'threshold.db'), { autocheckpointPages: 1234 });
  try {
    const [row] = db.prepare('PRAGMA wal_autocheckpoint').all([]) as Array<Record<string, unknown>>;
    assert.equal(row?.wal_autocheckpoint, 1234);
  } finally {
    db.close();
  }
});

it('checkpoints committed WAL frames into the database file from a worker thread', async () => {
  const path = join(dir, 'worker.db');
  // No automatic checkpoints on this connection: only the worker can move pages into the file.
  const db = openSqliteDatabase(path, { autocheckpointPages: 0 });
  db.prepare('create table t (id integer primary key, body text)').run([]);
  const insert = db.prepare('insert into t (body) values (?)');
  for (let i = 0; i < 300; i++) insert.run(['x'.repeat(1000)]);
  const before = statSync(path).size;
  assert.ok(before < 100_000, `the rows are still in the WAL only (file is ${before} bytes)`);
  const checkpointer = startCheckpointer(path, 20, 0);
  try {
    assert.ok(
      await eventually(() => statSync(path).size > 300_000, 10_000),
      'the database file grew to hold the rows',
    );
  } finally {
    await checkpointer.stop();
    db.close();
  }
  // stop() is idempotent once the worker has exited.
  await checkpointer.stop();
});

it('issue 14: starts its worker thread only once the WAL reaches the start size', async () => {
  const path = join(dir, 'lazy.db');
  const db = openSqliteDatabase(path, { autocheckpointPages: 0 });
  const checkpointer = startCheckpointer(path, 20, 200_000);
  try {
    db.prepare('create table t (id integer primary key, body text)').run([]);
    const insert = db.prepare('insert into t (body) values (?)');
    for (let i = 0; i < 20; i++) insert.run(['x'.repeat(1000)]);
    await sleep(200);
    assert.equal(checkpointer.running, false, 'a small WAL: no worker');
    for (let i = 0; i < 300; i++) insert.run(['x'.repeat(1000)]);
    assert.ok(await eventually(() => checkpointer.running, 10_000), 'the WAL grew past the start size');
    assert.ok(
      await eventually(() => statSync(path).size > 300_000, 10_000),
      'and the worker checkpointed it into the database file',
    );
  } finally {
    await checkpointer.stop();
    db.close();
  }
  assert.equal(checkpointer.running, false);
});

it('stops cleanly when its worker never started', async () => {
  const checkpointer = startCheckpointer(join(dir, 'never.db'), 20, Number.MAX_SAFE_INTEGER);
  await sleep(60);
  assert.equal(checkpointer.running, false);
  await checkpointer.stop();
});
