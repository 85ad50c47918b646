// Users on SQL: names (username and aliases) are unique by canonical key (docs/usernames.md), via user_aliases.
import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import { CountersignError } from '../../core/errors.ts';
import type { User, UserStatus } from '../../core/model.ts';
import type { UserFilter, UserRepository } from '../../core/repositories.ts';
import { requireUsername } from '../../core/usernames.ts';
import { constraintViolation } from '../db-errors.ts';
import { dialectOf } from '../dialect.ts';
import { readJsonStrings, writeJson } from '../json-column.ts';
import type { Database, UsersTable } from '../schema.ts';
import { atomic, type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

const GET_USER = prepare('users.get', (db, p: { id: string }) =>
  db.selectFrom('users').selectAll().where('id', '=', p.id),
);

const FIND_USER_BY_NAME = prepare('users.findByName', (db, p: { key: string }) =>
  db
    .selectFrom('users')
    .innerJoin('user_aliases', 'user_aliases.user_id', 'users.id')
    .selectAll('users')
    .where('user_aliases.name_key', '=', p.key),
);

const RECORD_SUCCESS = prepare('users.recordSuccess', (db, p: { id: string; now: number }) =>
  db.updateTable('users').set({ failed_attempts: 0, last_login_at: p.now }).where('id', '=', p.id),
);

// PostgreSQL: the row lock and the read in one round trip, and no row version written (the no-op UPDATE it
// replaces wrote one, with its index entries, on every login).
const LOCK = prepare('users.lock', (db, p: { id: string }) =>
  db.selectFrom('users').selectAll().where('id', '=', p.id).forUpdate(),
);

const RECORD_FAILURE = prepare(
  'users.recordFailure',
  (db, p: { id: string; now: number; threshold: number }) => {
    // One statement so parallel failures each count; a threshold below 1 means "never lock".
    const reaches = sql<boolean>`(status = 'active' and ${p.threshold} >= 1 and failed_attempts + 1 >= ${p.threshold})`;
    return db
      .updateTable('users')
      .set({
        failed_attempts: sql<number>`failed_attempts + 1`,
        status: sql<string>`case when ${reaches} then 'locked_out' else status end`,
        locked_at: sql<number | null>`case when ${reaches} then cast(${p.now} as bigint) else locked_at end`,
      })
      .where('id', '=', p.id)
      .returning(['failed_attempts', 'status']);
  },
);

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    aliases: readJsonStrings(row.aliases, 'users.aliases'),
    realName: row.real_name,
    email: row.email,
    phone: row.phone,
    groups: readJsonStrings(row.groups, 'users.groups'),
    status: row.status as UserStatus,
    passwordHash: row.password_hash,
    directory: row.directory,
    failedAttempts: row.failed_attempts,
    lockedAt: row.locked_at,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    notes: row.notes,
  };
}

/** Aliases in canonical form, and their keys without duplicates; a refused alias is INVALID_USERNAME. */
function canonicalAliases(aliases: readonly string[]): { names: string[]; keys: string[] } {
  const checked = aliases.map(requireUsername);
  return { names: checked.map((a) => a.name), keys: [...new Set(checked.map((a) => a.key))] };
}

/** Maps a unique violation on users or user_aliases to USER_EXISTS; rethrows anything else. */
function rethrowConflict(error: unknown, what: string): never {
  if (constraintViolation(error)?.kind === 'unique') throw new CountersignError('USER_EXISTS', what);
  throw error;
}

async function insertAliases(db: Kysely<Database>, userId: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('user_aliases')
    .values(keys.map((name_key) => ({ name_key, user_id: userId })))
    .execute();
}

/** Makes `user_groups` hold exactly `groups` for the user: the rows the Admin API's group lists read. */
async function writeMemberships(
  db: Kysely<Database>,
  userId: string,
  groups: readonly string[],
  replacing: boolean,
): Promise<void> {
  if (replacing) await db.deleteFrom('user_groups').where('user_id', '=', userId).execute();
  const names = [...new Set(groups)];
  if (names.length === 0) return;
  await db
    .insertInto('user_groups')
    .values(names.map((group_name) => ({ group_name, user_id: userId })))
    .execute();
}

/** The users `filter` selects (a join on `user_groups` for a group). */
function filtered(db: Kysely<Database>, filter: UserFilter) {
  let query = db.selectFrom('users');
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.statuses !== undefined) query = query.where('status', 'in', [...filter.statuses, '']);
  if (filter.enrolled !== undefined) {
    // The authenticators_user_id index answers "has any?" per user without reading devices.
    const any = (eb: ExpressionBuilder<Database, 'users'>) =>
      eb.exists(
        eb.selectFrom('authenticators').select('id').whereRef('authenticators.user_id', '=', 'users.id'),
      );
    query = query.where((eb) => (filter.enrolled ? any(eb) : eb.not(any(eb))));
  }
  if (filter.directory === null) query = query.where('directory', 'is', null);
  else if (filter.directory !== undefined) query = query.where('directory', '=', filter.directory);
  if (filter.keyPrefix !== undefined) {
    // LIKE with its wildcards escaped: a prefix of the stored key, the same on both databases.
    const escaped = filter.keyPrefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    query = query.where(sql<boolean>`username_key like ${`${escaped}%`} escape '\\'`);
  }
  if (filter.group !== undefined) {
    const group = filter.group;
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('user_groups').select('user_id').where('group_name', '=', group),
    );
  }
  return query;
}

/** The user repository bound to `ctx`. */
export function userRepository(ctx: RepositoryContext): UserRepository {
  const { db } = ctx;
  const sqlite = dialectOf(db) === 'sqlite';
  return {
    async create(user) {
      const name = requireUsername(user.username);
      const aliases = canonicalAliases(user.aliases);
      try {
        await atomic(ctx, async (tx) => {
          await tx
            .insertInto('users')
            .values({
              id: user.id,
              username: name.name,
              username_key: name.key,
              aliases: writeJson(aliases.names),
              real_name: user.realName,
              email: user.email,
              phone: user.phone,
              groups: writeJson(user.groups),
              status: user.status,
              password_hash: user.passwordHash,
              directory: user.directory,
              failed_attempts: user.failedAttempts,
              locked_at: user.lockedAt,
              created_at: user.createdAt,
              last_login_at: user.lastLoginAt,
              notes: user.notes,
            })
            .execute();
          const others = aliases.keys.filter((key) => key !== name.key);
          await insertAliases(tx, user.id, [name.key, ...others]);
          await writeMemberships(tx, user.id, user.groups, false);
        });
      } catch (error) {
        rethrowConflict(error, `username or alias of ${user.username} is taken`);
      }
    },

    async get(id) {
      const [row] = (await run(ctx, GET_USER, { id })).rows;
      return row ? toUser(row) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', [...new Set(ids)])
        .execute();
      return rows.map(toUser);
    },

    async findByName(name) {
      // A refused name throws INVALID_USERNAME: it is never quietly an unknown user.
      const [row] = (await run(ctx, FIND_USER_BY_NAME, { key: requireUsername(name).key })).rows;
      return row ? toUser(row) : null;
    },

    async list(page, filter = {}) {
      // username_key is unique, so it alone orders pages without overlap. The page's ids come from the
      // (username_key, id) index alone, and only those rows are read: a deep offset skips index entries, not rows.
      const ids = filtered(db, filter)
        .select('id')
        .orderBy('username_key')
        .limit(page.limit)
        .offset(page.offset);
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', ids)
        .orderBy('username_key')
        .execute();
      return rows.map(toUser);
    },

    async count(filter = {}) {
      const row = await filtered(db, filter)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async remove(id) {
      // Aliases, memberships, devices, codes, sessions and activations go with it (ON DELETE CASCADE).
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async update(id, patch) {
      const set: Partial<UsersTable> = {};
      const name = patch.username === undefined ? undefined : requireUsername(patch.username);
      if (name !== undefined) {
        set.username = name.name;
        set.username_key = name.key;
      }
      if (patch.notes !== undefined) set.notes = patch.notes;
      if (patch.realName !== undefined) set.real_name = patch.realName;
      if (patch.email !== undefined) set.email = patch.email;
      if (patch.phone !== undefined) set.phone = patch.phone;
      if (patch.groups !== undefined) set.groups = writeJson(patch.groups);
      const aliases = patch.aliases === undefined ? undefined : canonicalAliases(patch.aliases);
      if (aliases !== undefined) set.aliases = writeJson(aliases.names);
      if (patch.directory !== undefined) set.directory = patch.directory;
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
      if (Object.keys(set).length === 0) return;
      try {
        await atomic(ctx, async (tx) => {
          const before = await tx
            .selectFrom('users')
            .select(['username_key', 'aliases'])
            .where('id', '=', id)
            .executeTakeFirst();
          if (!before) throw new CountersignError('USER_NOT_FOUND', id);
          await tx.updateTable('users').set(set).where('id', '=', id).execute();
          if (patch.groups !== undefined) await writeMemberships(tx, id, patch.groups, true);
          if (name === undefined && aliases === undefined) return;
          // Every name the user answers to is rewritten: the (possibly new) username's key and the aliases'.
          const key = name?.key ?? before.username_key;
          const aliasKeys =
            aliases?.keys ?? canonicalAliases(readJsonStrings(before.aliases, 'users.aliases')).keys;
          await tx.deleteFrom('user_aliases').where('user_id', '=', id).execute();
          await insertAliases(tx, id, [key, ...aliasKeys.filter((other) => other !== key)]);
        });
      } catch (error) {
        rethrowConflict(error, `an alias of user ${id} is taken`);
      }
    },

    async setStatus(id, status) {
      // Leaving locked_out clears the failure count and lock time; the CASE reads the status before the update.
      const leavingLock = status !== 'locked_out';
      const result = await db
        .updateTable('users')
        .set({
          status,
          failed_attempts: leavingLock
            ? sql<number>`case when status = 'locked_out' then 0 else failed_attempts end`
            : sql<number>`failed_attempts`,
          locked_at: leavingLock
            ? sql<number | null>`case when status = 'locked_out' then null else locked_at end`
            : sql<number | null>`locked_at`,
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new CountersignError('USER_NOT_FOUND', id);
    },

    async recordFailure(id, now, threshold) {
      const [row] = (await run(ctx, RECORD_FAILURE, { id, now, threshold })).rows;
      if (!row) throw new CountersignError('USER_NOT_FOUND', id);
      return { failedAttempts: row.failed_attempts, lockedOut: row.status === 'locked_out' };
    },

    async recordSuccess(id, now) {
      const result = await run(ctx, RECORD_SUCCESS, { id, now });
      if (!result.numAffectedRows) throw new CountersignError('USER_NOT_FOUND', id);
    },

    async lock(id) {
      // SQLite's transactions begin IMMEDIATE: they already hold the database's one write lock (and SQLite has
      // no FOR UPDATE), so a read is all that is left to do.
      const { rows } = await run(ctx, sqlite ? GET_USER : LOCK, { id });
      return rows[0] ? toUser(rows[0]) : null;
    },
  };
}
