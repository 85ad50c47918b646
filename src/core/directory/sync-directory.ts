// Brings the users of one directory in line with it: adds, updates, disables (never deletes), re-enables.
import type {
  DirectoryUser,
  ExistingUser,
  FieldValue,
  readDirectoryUsers,
} from '../../primary/ldap/index.ts';
import { loadLdap } from '../../primary/ldap/load-ldap.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { newId } from '../ids.ts';
import type { User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { canonicalUsername, requireUsername } from '../usernames.ts';
import { listDirectoryUsers, requireDirectory } from './directory-settings.ts';

export interface SyncReport {
  directory: string;
  dryRun: boolean;
  added: string[];
  updated: Array<{ username: string; changes: Record<string, [FieldValue, FieldValue]> }>;
  disabled: string[];
  reenabled: string[];
  unchanged: number;
  /** Directory usernames already taken by a local user or another directory's user: left alone. */
  conflicts: string[];
  /** Directory entries whose name the canonical form refuses (docs/usernames.md): not imported. */
  skipped: Array<{ username: string; reason: string }>;
}

export interface SyncOptions {
  /** Report what would change without writing anything. */
  dryRun?: boolean;
  /** The directory read (replaceable in unit tests). */
  read?: typeof readDirectoryUsers;
}

/** The settings key listing the ids of the users that sync (not an administrator) disabled. */
export function syncDisabledKey(name: string): string {
  return `directory:${name}:disabled`;
}

type SyncDeps = Pick<CoreDeps, 'store' | 'ring' | 'clock' | 'random'>;

/** Syncs directory `name` into the store in one transaction and returns what changed. */
export async function syncDirectory(
  deps: SyncDeps,
  actor: string,
  name: string,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const config = await requireDirectory(deps, name);
  // the network read happens before the transaction, so no database lock is held while LDAP answers
  const incoming = await (options.read ?? (await loadLdap()).readDirectoryUsers)(config);
  const dryRun = options.dryRun === true;
  const work = (repos: Repositories) => applySync(deps, repos, actor, name, incoming, dryRun);
  return dryRun ? work(deps.store) : deps.store.atomically(work);
}

async function applySync(
  deps: SyncDeps,
  repos: Repositories,
  actor: string,
  name: string,
  incoming: DirectoryUser[],
  dryRun: boolean,
): Promise<SyncReport> {
  const now = deps.clock.now();
  const { accepted, skipped } = canonicalEntries(incoming);
  const stored = await listDirectoryUsers(repos, name);
  const byName = new Map(stored.map((u) => [u.username, u]));
  const remembered = new Set((await repos.settings.get<string[]>(syncDisabledKey(name))) ?? []);
  // forget users an administrator has re-enabled (or who are gone): a later manual disable is theirs
  const disabledBySync = new Set(
    stored.filter((u) => u.status === 'disabled' && remembered.has(u.id)).map((u) => u.id),
  );
  const existing: ExistingUser[] = stored.map((u) => ({
    username: u.username,
    realName: u.realName,
    email: u.email,
    phone: u.phone,
    groups: u.groups,
    status: u.status,
    ...(u.status === 'disabled' && { disabledBy: disabledBySync.has(u.id) ? 'directory' : 'admin' }),
  }));
  const diff = (await loadLdap()).diffDirectory(existing, accepted);
  const report: SyncReport = {
    directory: name,
    dryRun,
    added: [],
    updated: [],
    disabled: [],
    reenabled: [],
    unchanged: diff.unchanged,
    conflicts: [],
    skipped,
  };
  const who = (user: User) => ({ actor, userId: user.id, username: user.username });

  for (const entry of diff.add) {
    if (await repos.users.findByName(entry.username)) {
      report.conflicts.push(entry.username);
      continue;
    }
    report.added.push(entry.username);
    if (!dryRun) await repos.users.create(newDirectoryUser(deps, name, entry, now));
  }

  const incomingByKey = new Map(accepted.map((u) => [requireUsername(u.username).key, u]));
  for (const { username, changes } of diff.update) {
    const user = byName.get(username)!;
    const entry = incomingByKey.get(requireUsername(username).key)!;
    // a username differing only in case (or spelling of the same key) is not renamed: logins match by key
    const { username: _case, status, ...fields } = changes;
    if (Object.keys(fields).length > 0) {
      report.updated.push({ username, changes: fields });
      if (!dryRun) {
        await repos.users.update(user.id, {
          realName: entry.realName,
          email: entry.email,
          phone: entry.phone,
          groups: entry.groups,
        });
      }
    }
    if (status) {
      report.reenabled.push(username);
      disabledBySync.delete(user.id);
      if (!dryRun) {
        await repos.users.setStatus(user.id, 'active');
        await audit(repos, now, {
          kind: 'admin',
          action: 'directory.reenable-user',
          ...who(user),
          detail: { directory: name },
        });
      }
    }
    if (Object.keys(fields).length === 0 && !status) report.unchanged++;
  }

  for (const username of diff.disable) {
    const user = byName.get(username)!;
    report.disabled.push(username);
    disabledBySync.add(user.id);
    if (!dryRun) {
      await repos.users.setStatus(user.id, 'disabled');
      await audit(repos, now, {
        kind: 'admin',
        action: 'directory.disable-user',
        ...who(user),
        detail: { directory: name, reason: 'not in the directory any more', from: user.status },
      });
    }
  }
  if (dryRun) return report;

  await ensureGroups(repos, accepted);
  await repos.settings.set(syncDisabledKey(name), [...disabledBySync].sort());
  await audit(repos, now, {
    kind: 'admin',
    action: 'directory.sync',
    actor,
    detail: {
      directory: name,
      read: incoming.length,
      added: report.added.length,
      updated: report.updated.length,
      disabled: report.disabled.length,
      reenabled: report.reenabled.length,
      unchanged: report.unchanged,
      conflicts: report.conflicts,
      skipped: report.skipped,
    },
  });
  return report;
}

/** Entries with their names in canonical form, and those whose name is refused (reported, never imported). */
function canonicalEntries(incoming: DirectoryUser[]): {
  accepted: DirectoryUser[];
  skipped: SyncReport['skipped'];
} {
  const accepted: DirectoryUser[] = [];
  const skipped: SyncReport['skipped'] = [];
  for (const entry of incoming) {
    const checked = canonicalUsername(entry.username);
    if (checked.ok) accepted.push({ ...entry, username: checked.name });
    else skipped.push({ username: entry.username, reason: checked.reason });
  }
  return { accepted, skipped };
}

function newDirectoryUser(deps: SyncDeps, directory: string, entry: DirectoryUser, now: number): User {
  return {
    id: newId(deps.random, 'DU'),
    username: entry.username,
    aliases: [],
    realName: entry.realName,
    email: entry.email,
    phone: entry.phone,
    groups: entry.groups,
    status: 'active',
    passwordHash: null, // the directory checks the password; there is never a local one to fall back to
    directory,
    failedAttempts: 0,
    lockedAt: null,
    createdAt: now,
    lastLoginAt: null,
    notes: null,
  };
}

/** Creates an empty-policy group row for every group seen, leaving existing ones (and their policy) alone. */
async function ensureGroups(repos: Repositories, incoming: DirectoryUser[]): Promise<void> {
  const names = new Set(incoming.flatMap((u) => u.groups));
  for (const group of [...names].sort()) {
    if (!(await repos.groups.get(group))) await repos.groups.upsert({ name: group, policy: {} });
  }
}
