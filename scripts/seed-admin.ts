// `node scripts/seed-admin.ts --data-dir DIR [--database-url URL] [--users N] [--authlogs N] [--days N]`: fills a
// Countersign database with users and authentication-log rows, for the Admin API's list benchmarks.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { openCountersign } from '../src/app.ts';
import { buildConfig } from '../src/config.ts';
import { createApplication } from '../src/core/admin/create-application.ts';
import { ADMIN_PERMISSIONS } from '../src/core/model.ts';
import { requireUsername } from '../src/core/usernames.ts';
import { dialectOf } from '../src/store/dialect.ts';
import { openPostgresKysely } from '../src/store/postgres.ts';
import type { Database } from '../src/store/schema.ts';
import { openSqliteKysely } from '../src/store/sqlite.ts';

export interface SeedOptions {
  /** An initialised data directory (`countersign init`): its key ring seals the integrations' keys. */
  dataDir: string;
  /** PostgreSQL instead of the data directory's SQLite file. */
  databaseUrl?: string;
  users: number;
  authlogs: number;
  /** The log rows are spread evenly over this many days up to `now`. */
  days: number;
  now: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface Seeded {
  /** An admin-api integration with every grant. */
  ikey: string;
  skey: string;
  /** The name of seeded user `index` (`seed0000042`). */
  username: (index: number) => string;
}

const seedName = (index: number) => `seed${String(index).padStart(7, '0')}`;
const GROUPS = ['staff', 'students', 'contractors', 'vpn'];
const APPLICATIONS = 4;
/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 1000;
/** Rows per database transaction. */
const PER_TRANSACTION = 20_000;

/** A fast deterministic generator, so two seeds of the same size hold the same data. */
function generator(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state % below;
  };
}

/** Inserts `count` rows made by `row(i)` in batches, `PER_TRANSACTION` per database transaction. */
async function insertAll<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  count: number,
  row: (index: number) => Record<string, unknown>,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  for (let start = 0; start < count; start += PER_TRANSACTION) {
    const end = Math.min(count, start + PER_TRANSACTION);
    await db.transaction().execute(async (trx) => {
      for (let batch = start; batch < end; batch += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, end - batch) }, (_, i) => row(batch + i));
        await trx
          .insertInto(table)
          .values(rows as never)
          .execute();
      }
    });
    if (end % 100_000 === 0 || end === count) {
      log(`${table}: ${end.toLocaleString('en-US')} rows (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  }
}

export interface RowOptions {
  users: number;
  authlogs: number;
  days: number;
  now: number;
  /** The applications the log rows are spread over. */
  applicationIds: readonly string[];
  log?: (line: string) => void;
}

const seedUserId = (index: number) => `DUSEED${String(index).padStart(14, '0')}`;

/**
 * Inserts `users` users (a quarter of them in a group) and `authlogs` finished authentications of those users,
 * oldest first over `days` days up to `now`, by bulk INSERT: through the core, each would be its own audited
 * transaction, hours for a million.
 */
export async function seedRows(db: Kysely<Database>, options: RowOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const random = generator(12);
  const groupOf = (index: number) => (index % 4 === 0 ? GROUPS[(index / 4) % GROUPS.length]! : null);
  await insertAll(
    db,
    'users',
    options.users,
    (index) => {
      const name = requireUsername(seedName(index));
      const group = groupOf(index);
      return {
        id: seedUserId(index),
        username: name.name,
        username_key: name.key,
        aliases: '[]',
        real_name: `Seed User ${index}`,
        email: `${name.key}@example.test`,
        phone: null,
        groups: JSON.stringify(group ? [group] : []),
        status: 'active',
        password_hash: null,
        directory: null,
        failed_attempts: 0,
        locked_at: null,
        created_at: options.now - options.days * 86_400_000,
        last_login_at: null,
        notes: null,
      };
    },
    log,
  );
  await insertAll(
    db,
    'user_aliases',
    options.users,
    (index) => ({ name_key: requireUsername(seedName(index)).key, user_id: seedUserId(index) }),
    log,
  );
  await insertAll(
    db,
    'user_groups',
    Math.ceil(options.users / 4),
    (i) => ({ group_name: groupOf(i * 4)!, user_id: seedUserId(i * 4) }),
    log,
  );
  const span = options.days * 86_400_000;
  await insertAll(
    db,
    'audit_log',
    options.authlogs,
    (index) => {
      const user = random(options.users);
      const success = random(10) !== 0;
      const push = random(2) === 0;
      return {
        // Oldest first, as a live server appends them.
        at: options.now - span + Math.floor((index * span) / options.authlogs),
        kind: 'auth',
        action: 'authentication',
        actor: null,
        user_id: seedUserId(user),
        username: seedName(user),
        application_id: options.applicationIds[random(options.applicationIds.length)]!,
        factor: push ? 'push' : 'passcode',
        result: success ? 'success' : 'deny',
        reason: success ? (push ? 'user_approved' : 'valid_passcode') : push ? 'denied' : 'invalid_passcode',
        ip: `198.51.${random(256)}.${random(256)}`,
        detail: JSON.stringify({
          txid: `TXSEED${String(index).padStart(14, '0')}`,
          ...(push ? {} : { method: 'totp' }),
        }),
      };
    },
    log,
  );
  // Fresh statistics and (PostgreSQL) a visibility map, as autovacuum keeps them on a database that grew slowly.
  await sql`${sql.raw(dialectOf(db) === 'postgres' ? 'vacuum analyze' : 'analyze')}`.execute(db);
}

/** Seeds the data directory's database (SQLite, or `databaseUrl`) and returns a new admin-api integration's keys. */
export async function seedAdmin(options: SeedOptions): Promise<Seeded> {
  const config = buildConfig(
    undefined,
    {},
    {
      data_dir: options.dataDir,
      log_level: 'warn',
      ...(options.databaseUrl && { database_url: options.databaseUrl }),
    },
  );
  // Through the core: the schema is migrated and the integrations' keys are sealed with the data dir's key ring.
  const countersign = await openCountersign(config);
  let admin: { ikey: string; skey: string };
  const applicationIds: string[] = [];
  try {
    const { deps } = countersign;
    const created = await createApplication(deps, 'seed', {
      name: `seed-admin-${options.now}`,
      type: 'admin-api',
      permissions: [...ADMIN_PERMISSIONS],
    });
    admin = { ikey: created.app.ikey, skey: created.skey };
    for (let i = 0; i < APPLICATIONS; i++) {
      const app = await createApplication(deps, 'seed', {
        name: `seed-app-${options.now}-${i}`,
        type: 'auth-api',
      });
      applicationIds.push(app.app.id);
    }
  } finally {
    await countersign.close();
  }
  const db = options.databaseUrl
    ? openPostgresKysely(options.databaseUrl)
    : openSqliteKysely(join(options.dataDir, 'countersign.db'));
  try {
    await seedRows(db, { ...options, applicationIds });
  } finally {
    await db.destroy();
  }
  return { ...admin, username: seedName };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      users: { type: 'string', default: '100000' },
      authlogs: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '30' },
    },
  });
  const whole = (name: 'users' | 'authlogs' | 'days') => {
    const value = Number(values[name]);
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`--${name} must be a positive whole number`);
    return value;
  };
  if (!values['data-dir'])
    throw new Error('--data-dir is required (run `countersign init --data-dir DIR` first)');
  const seeded = await seedAdmin({
    dataDir: values['data-dir'],
    ...(values['database-url'] !== undefined && { databaseUrl: values['database-url'] }),
    users: whole('users'),
    authlogs: whole('authlogs'),
    days: whole('days'),
    now: Date.now(),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`Admin API integration key: ${seeded.ikey}\nSecret key: ${seeded.skey}\n`);
}

if (import.meta.main) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`seed-admin: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
