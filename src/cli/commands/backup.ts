// `countersign backup FILE` and `countersign restore FILE`: the SQLite database out and back in; pg_dump for PostgreSQL.
import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadKeyRing, sqlitePath } from '../../app.ts';
import { type Config, keyFilePath } from '../../config.ts';
import { recordRestore } from '../../core/admin/record-restore.ts';
import { systemClock } from '../../core/clock.ts';
import { sealedKeyId } from '../../crypto/secret-box.ts';
import { PRIVATE_DIR_MODE } from '../../private-files.ts';
import { openStore } from '../../store/open-store.ts';
import {
  backupSqliteDatabase,
  DatabaseInUseError,
  liveDatabaseFiles,
  NotRestorableError,
  restoreSqliteDatabase,
} from '../../store/sqlite-backup.ts';
import { type Command, CommandFailure, type Invocation, UsageError } from '../command.ts';
import { cliActor, configFor } from '../context.ts';
import { print } from '../output.ts';

const KEY_CHECK_PAGE = 500;

/** Where the master key comes from, and the sentence every backup message carries about it. */
export function masterKeyReminder(config: Config, env: NodeJS.ProcessEnv): { source: string; text: string } {
  const source = env.COUNTERSIGN_MASTER_KEY ? 'COUNTERSIGN_MASTER_KEY' : keyFilePath(config);
  return {
    source,
    text:
      `The master key is not in this backup, and the database's secrets (OTP seeds, application secret keys, ` +
      `directory passwords) cannot be read without it: back up ${source} too, and keep it apart from the database backup.`,
  };
}

/** Quotes `text` for a POSIX shell. */
function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The PostgreSQL URL without its password, which pg_dump and pg_restore read from PGPASSWORD or ~/.pgpass. */
function withoutPassword(url: string): { url: string; hadPassword: boolean } {
  const parsed = new URL(url);
  const hadPassword = parsed.password !== '';
  parsed.password = '';
  return { url: parsed.toString(), hadPassword };
}

/** The exact pg_dump and pg_restore command lines for this configuration and FILE. */
export function postgresCommands(
  databaseUrl: string,
  file: string,
): { dump: string; restore: string; note: string } {
  const { url, hadPassword } = withoutPassword(databaseUrl);
  return {
    dump: `pg_dump --format=custom --file=${shellQuote(file)} --dbname=${shellQuote(url)}`,
    restore: `pg_restore --clean --if-exists --no-owner --single-transaction --dbname=${shellQuote(url)} ${shellQuote(file)}`,
    note: hadPassword
      ? 'The password is left out of these lines: pg_dump and pg_restore read it from PGPASSWORD or ~/.pgpass.'
      : '',
  };
}

/** For PostgreSQL, the commands say what to run instead (exit 2: nothing was done). */
function refuseForPostgres(config: Config, invocation: Invocation, file: string): never {
  const commands = postgresCommands(config.database_url!, file);
  const key = masterKeyReminder(config, invocation.io.env);
  throw new UsageError(
    [
      'this server keeps its data in PostgreSQL (database_url); countersign backup and restore copy SQLite only.',
      'Back PostgreSQL up with pg_dump:',
      `  ${commands.dump}`,
      'and restore it, with every countersign serve stopped, with pg_restore:',
      `  ${commands.restore}`,
      ...(commands.note ? [commands.note] : []),
      key.text,
    ].join('\n'),
  );
}

/** The file's absolute path; its folder must exist, and it must not be a folder or the live database. */
async function backupDestination(file: string, database: string): Promise<string> {
  const absolute = resolve(file);
  const folder = await stat(dirname(absolute)).catch(() => null);
  if (!folder?.isDirectory()) throw new UsageError(`the folder ${dirname(absolute)} does not exist`);
  const existing = await stat(absolute).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(`${file} is a folder: name the backup file`);
  const real = await realpath(absolute).catch(() => absolute);
  const live = await Promise.all(liveDatabaseFiles(database).map((path) => realpath(path).catch(() => path)));
  if (live.includes(real)) throw new UsageError(`${file} is the live database: back up to another file`);
  return absolute;
}

export const backupCommand: Command = {
  name: 'backup',
  summary:
    "Copy the SQLite database to FILE while the server runs (SQLite's online backup); not the master key.",
  usage: 'countersign backup FILE [--data-dir DIR] [--config FILE]',
  positionals: 1,
  async run(invocation) {
    const config = configFor(invocation);
    const file = invocation.positionals[0]!;
    if (config.database_url) refuseForPostgres(config, invocation, file);
    const database = sqlitePath(config);
    const destination = await backupDestination(file, database);
    let info: Awaited<ReturnType<typeof backupSqliteDatabase>>;
    try {
      info = await backupSqliteDatabase(database, destination);
    } catch (error) {
      if (error instanceof NotRestorableError) throw new UsageError(error.message);
      throw error;
    }
    const key = masterKeyReminder(config, invocation.io.env);
    const result = {
      file: destination,
      database,
      bytes: info.bytes,
      schema: info.migrations.at(-1),
      integrity: 'ok',
      masterKey: key.source,
      reminder: key.text,
    };
    print(invocation.io, invocation.json, result, () =>
      [
        `Backed up ${database} to ${destination} (${info.bytes.toLocaleString('en-US')} bytes, schema ${result.schema}, integrity ok).`,
        key.text,
      ].join('\n'),
    );
    return result;
  },
};

/**
 * Brings the restored database up to this version's schema (as `serve` would at its next start) and lists the key
 * ids its sealed secrets use that the configured master key lacks; null when there is no master key at all.
 */
async function migrateAndCheckKeys(
  config: Config,
  env: NodeJS.ProcessEnv,
  database: string,
  restore: { actor: string; file: string; bytes: number },
): Promise<string[] | null> {
  const store = await openStore({ sqlitePath: database });
  try {
    // The restored log says who restored it from which file (every CLI action is in the admin log: issue 12).
    await recordRestore({ store, clock: systemClock }, restore.actor, {
      file: restore.file,
      bytes: restore.bytes,
    });
    const ring = await loadKeyRing(config, env).catch(() => null);
    if (!ring) return null;
    const used = new Set<string>();
    for (const app of await store.applications.list()) used.add(sealedKeyId(app.skeySealed) ?? '?');
    for (let offset = 0; ; offset += KEY_CHECK_PAGE) {
      const page = await store.authenticators.listAll({ limit: KEY_CHECK_PAGE, offset });
      for (const item of page) if (item.secretSealed) used.add(sealedKeyId(item.secretSealed) ?? '?');
      if (page.length < KEY_CHECK_PAGE) break;
    }
    return [...used].filter((id) => !ring.keys.has(id)).sort();
  } finally {
    await store.close();
  }
}

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Replace the SQLite database with a backup FILE (checked first); the server must be stopped.',
  usage: 'countersign restore FILE [--data-dir DIR] [--config FILE]',
  positionals: 1,
  async run(invocation) {
    const config = configFor(invocation);
    const file = invocation.positionals[0]!;
    if (config.database_url) refuseForPostgres(config, invocation, file);
    const source = resolve(file);
    const existing = await stat(source).catch(() => null);
    if (!existing?.isFile()) throw new UsageError(`no backup file at ${file}`);
    const database = sqlitePath(config);
    await mkdir(config.data_dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    let info: Awaited<ReturnType<typeof restoreSqliteDatabase>>;
    try {
      info = await restoreSqliteDatabase(source, database);
    } catch (error) {
      if (error instanceof NotRestorableError) throw new UsageError(error.message);
      if (error instanceof DatabaseInUseError) throw new CommandFailure(error.message);
      throw error;
    }
    const key = masterKeyReminder(config, invocation.io.env);
    const missing = await migrateAndCheckKeys(config, invocation.io.env, database, {
      actor: cliActor(invocation),
      file: source,
      bytes: info.bytes,
    });
    const keyStatus =
      missing === null
        ? `There is no master key at ${key.source}: copy the master key backed up with this database there before starting the server.`
        : missing.length > 0
          ? `The master key at ${key.source} lacks key(s) ${missing.join(', ')} that the restored database uses: copy the master key backed up with this database there before starting the server.`
          : `The master key at ${key.source} opens the restored database's secrets.`;
    const result = {
      file: source,
      database,
      bytes: info.bytes,
      schema: info.migrations.at(-1),
      integrity: 'ok',
      masterKey: key.source,
      masterKeyOk: missing !== null && missing.length === 0,
      ...(missing && missing.length > 0 && { missingKeys: missing }),
      reminder: keyStatus,
    };
    print(invocation.io, invocation.json, result, () =>
      [
        `Restored ${source} into ${database} (${info.bytes.toLocaleString('en-US')} bytes, schema ${result.schema}, integrity ok; brought up to this version).`,
        keyStatus,
      ].join('\n'),
    );
    return result;
  },
};
