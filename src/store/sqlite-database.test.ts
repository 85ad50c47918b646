// Unit tests for the node:sqlite adapter: pragmas, reader detection, parameter binding.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openSqliteDatabase } from './sqlite-database.ts';

const dir = mkdtempSync(join(tmpdir(), 'countersign-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('opens a file with WAL, foreign keys, busy timeout and NORMAL sync', () => {
  const db = openSqliteDatabase(join(dir, 'pragmas.db'));
  try {
    const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).all([])[0] as object)[0];
    assert.equal(pragma('journal_mode'), 'wal');
    assert.equal(pragma('foreign_keys'), 1);
    assert.equal(pragma('busy_timeout'), 5000);
    assert.equal(pragma('synchronous'), 1, 'NORMAL is 1');
  } finally {
    db.close();
  }
});

it('marks statements with result columns as readers, including RETURNING', () => {
  const db = openSqliteDatabase(':memory:');
  try {
    assert.equal(db.prepare('CREATE TABLE t (a INTEGER, b TEXT)').reader, false);
    db.prepare('CREATE TABLE t (a INTEGER, b TEXT)').run([]);
    assert.equal(db.prepare('INSERT INTO t (a, b) VALUES (?, ?)').reader, false);
    assert.equal(db.prepare('UPDATE t SET a = ? RETURNING a').reader, true);
    assert.equal(db.prepare('SELECT a FROM t').reader, true);
  } finally {
    db.close();
  }
});

it('binds booleans as 0/1 and undefined as null, and reports changes', () => {
  const db = openSqliteDatabase(':memory:');
  try {
    db.prepare('CREATE TABLE t (a INTEGER, b TEXT)').run([]);
    const insert = db.prepare('INSERT INTO t (a, b) VALUES (?, ?)');
    assert.equal(insert.run([true, undefined]).changes, 1);
    insert.run([false, 'x']);
    assert.deepEqual(
      db
        .prepare('SELECT a, b FROM t ORDER BY a')
        .all([])
        .map((row) => ({ ...(row as object) })),
      [
        { a: 0, b: 'x' },
        { a: 1, b: null },
      ],
    );
    assert.deepEqual(
      [...db.prepare('SELECT b FROM t WHERE a = ?').iterate([true])].map((row) => ({ ...(row as object) })),
      [{ b: null }],
    );
  } finally {
    db.close();
  }
});
