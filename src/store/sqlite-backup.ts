// Backs up and restores the SQLite database file: SQLite's online backup out, checked files in, never over a live one.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync } from 'node:fs';
import { chmod, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { PRIVATE_FILE_MODE } from '../private-files.ts';
import { MIGRATIONS } from './migrations/migrate.ts';

/** The first 16 bytes of every SQLite 3 database file (https://www.sqlite.org/fileformat.html §1.3.1). */
const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/**
 * Pages copied per backup step: all of them. Each step is one read transaction, and a write from another connection
 * between steps (the running server's) restarts the copy from the first page: in one step the copy is one
 * consistent snapshot that a busy server cannot starve. In WAL mode that read does not hold up the server's writes.
 */
const ALL_PAGES = 0x7fff_ffff;

/** SQLite's primary result code SQLITE_BUSY: another connection holds a lock we asked for without waiting. */
const SQLITE_BUSY = 5;

/** A file that cannot be restored: not a SQLite database, damaged, not Countersign's, or from a newer version. */
export class NotRestorableError extends Error {
  override name = 'NotRestorableError';
}

/** The target database is open in another process (a running server or a CLI command). */
export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

/** What a checked Countersign database file holds. */
export interface DatabaseFileInfo {
  /** The schema migrations it has, in order; the newest is its schema version. */
  migrations: string[];
  /** Its size in bytes. */
  bytes: number;
}

/** Paths that must never be a backup's destination: the live database and the files SQLite keeps beside it. */
export function liveDatabaseFiles(database: string): string[] {
  return ['', '-wal', '-shm', '-journal'].map((suffix) => `${database}${suffix}`);
}

/**
 * Copies the database at `source` into `destination` with SQLite's online backup, consistent while a server keeps
 * writing. The copy is written beside `destination` (owner-only), checked with `PRAGMA integrity_check`, made one
 * self-contained file (rollback journal, no -wal), then renamed over `destination`: a failed backup leaves no half file.
 */
export async function backupSqliteDatabase(source: string, destination: string): Promise<DatabaseFileInfo> {
  const db = openExisting(source);
  let temp: string;
  try {
    temp = await privateTempBeside(destination);
  } catch (error) {
    db.close();
    throw error;
  }
  try {
    try {
      readCountersignSchema(db, source);
      await backup(db, temp, { rate: ALL_PAGES });
    } finally {
      db.close();
    }
    const info = await sealCopy(temp);
    await rename(temp, destination);
    return info;
  } catch (error) {
    await removeWithCompanions(temp);
    throw error;
  }
}

/**
 * Checks `file` before a restore: a SQLite database, intact (`PRAGMA integrity_check`), with Countersign's schema
 * at a version this code knows. Throws NotRestorableError saying which check failed.
 */
export async function inspectBackupFile(file: string): Promise<DatabaseFileInfo> {
  if (!hasSqliteHeader(file)) {
    throw new NotRestorableError(
      `${file} is not a SQLite database (its first bytes are not SQLite's header)`,
    );
  }
  const db = openReadOnly(file);
  try {
    checkIntegrity(db, file);
    const migrations = readCountersignSchema(db, file);
    refuseNewer(migrations, file);
    return { migrations, bytes: (await stat(file)).size };
  } catch (error) {
    if (error instanceof NotRestorableError) throw error;
    // SQLITE_CORRUPT and friends: pages so damaged that the checks themselves cannot read them.
    throw new NotRestorableError(`${file} is damaged (${(error as Error).message})`);
  } finally {
    db.close();
  }
}

/**
 * Replaces the database at `target` with the checked backup `file`. Refuses with DatabaseInUseError while any other
 * connection has `target` open (a server, a CLI command): its -wal would be applied to the wrong file. The copy is
 * made beside `target` first and renamed over it under an exclusive lock, so `target` is never half written.
 */
export async function restoreSqliteDatabase(file: string, target: string): Promise<DatabaseFileInfo> {
  const info = await inspectBackupFile(file);
  const temp = await privateTempBeside(target);
  try {
    const source = openReadOnly(file);
    try {
      await backup(source, temp, { rate: ALL_PAGES });
    } finally {
      source.close();
    }
    await sealCopy(temp);
    const held = await holdExclusively(target);
    try {
      await rename(temp, target);
      // A -shm left by a killed server describes the old file; SQLite rebuilds it, but never from stale data.
      for (const companion of liveDatabaseFiles(target).slice(1)) await rm(companion, { force: true });
    } finally {
      held?.close();
    }
    return info;
  } catch (error) {
    await removeWithCompanions(temp);
    throw error;
  }
}

/**
 * Opens `target` (when it exists) with an exclusive lock, proving no other connection has it open, and turns it to
 * a rollback journal so its -wal is checkpointed and gone. In WAL mode every open connection holds a shared lock for
 * as long as it is open, idle or not, so the exclusive lock is refused while a server runs.
 */
async function holdExclusively(target: string): Promise<DatabaseSync | null> {
  if (!(await exists(target))) return null;
  const db = new DatabaseSync(target);
  try {
    db.exec('PRAGMA busy_timeout=0');
    db.exec('PRAGMA locking_mode=EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    db.exec('PRAGMA journal_mode=DELETE');
    return db;
  } catch (error) {
    db.close();
    if (sqliteCode(error) === SQLITE_BUSY) {
      throw new DatabaseInUseError(
        `${target} is open in another process (a running 'countersign serve', or another command): stop it, then restore`,
      );
    }
    throw error;
  }
}

/** Checks the copy, makes it a single file owner-only and on disk; returns what it holds. */
async function sealCopy(path: string): Promise<DatabaseFileInfo> {
  const db = new DatabaseSync(path);
  let migrations: string[];
  try {
    checkIntegrity(db, path);
    migrations = readCountersignSchema(db, path);
    // The backup copies the source's header, WAL mode included; a backup file is better one file on its own.
    db.exec('PRAGMA journal_mode=DELETE');
  } finally {
    db.close();
  }
  await chmod(path, PRIVATE_FILE_MODE);
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { migrations, bytes: (await stat(path)).size };
}

function checkIntegrity(db: DatabaseSync, path: string): void {
  const rows = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
  const problems = rows.map((row) => row.integrity_check).filter((text) => text !== 'ok');
  if (problems.length > 0) {
    throw new NotRestorableError(
      `${path} is damaged (PRAGMA integrity_check: ${problems.slice(0, 3).join('; ')})`,
    );
  }
}

/** The migrations recorded in `db`; throws when it is not a Countersign database. */
function readCountersignSchema(db: DatabaseSync, path: string): string[] {
  const table = db
    .prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
    .get();
  if (!table) {
    throw new NotRestorableError(`${path} is not a Countersign database (it has no schema migrations table)`);
  }
  const rows = db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>;
  const migrations = rows.map((row) => row.name);
  if (!migrations.includes('0001-initial')) {
    throw new NotRestorableError(`${path} is not a Countersign database (its schema has no 0001-initial)`);
  }
  return migrations;
}

/** A database whose schema has migrations this code does not know was made by a newer Countersign: not restored. */
function refuseNewer(migrations: string[], path: string): void {
  const unknown = migrations.filter((name) => !(name in MIGRATIONS));
  if (unknown.length > 0) {
    throw new NotRestorableError(
      `${path} comes from a newer Countersign (schema ${unknown.join(', ')} unknown to this version): upgrade first`,
    );
  }
}

function openExisting(path: string): DatabaseSync {
  // Opening would create an empty database where none is: a wrong --data-dir must not look like an empty backup.
  if (!hasSqliteHeader(path)) throw new NotRestorableError(`no Countersign database at ${path}`);
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout=5000');
  return db;
}

function openReadOnly(path: string): DatabaseSync {
  try {
    return new DatabaseSync(path, { readOnly: true });
  } catch (error) {
    throw new NotRestorableError(`${path} cannot be opened: ${(error as Error).message}`);
  }
}

function hasSqliteHeader(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** Creates an empty owner-only file next to `path` (same file system, so a rename replaces `path` atomically). */
async function privateTempBeside(path: string): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.partial-${randomBytes(6).toString('hex')}`);
  closeSync(openSync(temp, 'wx', PRIVATE_FILE_MODE));
  return temp;
}

async function removeWithCompanions(path: string): Promise<void> {
  for (const file of liveDatabaseFiles(path)) await rm(file, { force: true });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function sqliteCode(error: unknown): number | undefined {
  const errcode = (error as { errcode?: unknown }).errcode;
  return typeof errcode === 'number' ? errcode & 0xff : undefined;
}
