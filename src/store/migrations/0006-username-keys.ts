// Migration 0006: names are matched by the canonical key of src/core/usernames.ts, computed here, not by lower().
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { canonicalUsername } from '../../core/usernames.ts';
import { dialectOf } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

interface OldUser {
  id: string;
  username: string;
  aliases: string;
}

/** What one user becomes: the stored name and aliases in canonical form, and every key it answers to. */
interface NewNames {
  id: string;
  username: string;
  usernameKey: string;
  aliases: string[];
  keys: string[];
}

const quote = (name: string) => JSON.stringify(name);

function readAliases(user: OldUser): string[] {
  try {
    const parsed: unknown = JSON.parse(user.aliases);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * The canonical names of every user, oldest first, and the problems that stop the migration: a name the rule
 * refuses, or two users whose names now share a key. Nothing is changed when there is one (docs/usernames.md).
 */
export function planUsernameKeys(users: readonly OldUser[]): { plan: NewNames[]; problems: string[] } {
  const owners = new Map<string, OldUser>();
  const plan: NewNames[] = [];
  const problems: string[] = [];
  const claim = (key: string, user: OldUser, what: string): boolean => {
    const owner = owners.get(key);
    if (owner && owner.id !== user.id) {
      problems.push(
        `${what} of user ${user.id} and a name of user ${owner.id} (${quote(owner.username)}) are both ${quote(key)}`,
      );
      return false;
    }
    owners.set(key, user);
    return true;
  };
  for (const user of users) {
    const name = canonicalUsername(user.username);
    if (!name.ok) {
      problems.push(`user ${user.id}: the username ${quote(user.username)} is refused: ${name.reason}`);
      continue;
    }
    claim(name.key, user, `the username ${quote(user.username)}`);
    const aliases: string[] = [];
    const keys = [name.key];
    for (const raw of readAliases(user)) {
      const alias = canonicalUsername(raw);
      if (!alias.ok) {
        problems.push(`user ${user.id}: the alias ${quote(raw)} is refused: ${alias.reason}`);
        continue;
      }
      aliases.push(alias.name);
      // An alias that is the user's own name again (in another spelling) is kept, and indexed once.
      if (!keys.includes(alias.key) && claim(alias.key, user, `the alias ${quote(raw)}`))
        keys.push(alias.key);
    }
    plan.push({ id: user.id, username: name.name, usernameKey: name.key, aliases, keys });
  }
  return { plan, problems };
}

async function apply(db: AnyDb): Promise<void> {
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'aliases'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const { plan, problems } = planUsernameKeys(users as OldUser[]);
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} user name(s) have no canonical key of their own; nothing was changed. ` +
        `Rename or remove them with the previous version, then start again (docs/usernames.md, "Upgrading"): ` +
        problems.join('; '),
    );
  }
  await db.schema.alterTable('users').renameColumn('username_lower', 'username_key').execute();
  await db.schema.alterTable('user_aliases').renameColumn('alias_lower', 'name_key').execute();
  // Parked first, so no row's new key meets another row's old one on the unique constraint.
  await db
    .updateTable('users')
    .set({ username_key: sql<string>`${'\u0001'} || id` })
    .execute();
  await db.deleteFrom('user_aliases').execute();
  for (const user of plan) {
    await db
      .updateTable('users')
      .set({ username: user.username, username_key: user.usernameKey, aliases: JSON.stringify(user.aliases) })
      .where('id', '=', user.id)
      .execute();
    await db
      .insertInto('user_aliases')
      .values(user.keys.map((name_key) => ({ name_key, user_id: user.id })))
      .execute();
  }
}

export const usernameKeys: Migration = {
  async up(db: AnyDb) {
    if (dialectOf(db) === 'postgres') {
      // Kysely runs PostgreSQL migrations in a transaction already.
      await apply(db);
      await db.schema
        .alterTable('users')
        .renameConstraint('users_username_lower_unique', 'users_username_key_unique')
        .execute();
      return;
    }
    // Kysely does not wrap SQLite migrations: a crash half-way must leave the old schema, not a mix.
    await db.transaction().execute(apply);
  },
};
