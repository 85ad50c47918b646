// Compares stored users with a directory read and says what to add, update and disable (never delete).
import { requireUsername } from '../../core/usernames.ts';
import type { DirectoryUser } from './entry.ts';

/** A user as the store knows it. */
export interface ExistingUser {
  username: string;
  realName: string | null;
  email: string | null;
  phone: string | null;
  groups: string[];
  /** 'disabled' is the only status this module reads; re-enabling sets 'active'. */
  status: string;
  /** When 'admin', a disabled user stays disabled even if present in the directory. */
  disabledBy?: 'directory' | 'admin';
}

export type FieldValue = string | null | string[];

export interface DirectoryDiff {
  add: DirectoryUser[];
  update: Array<{ username: string; changes: Record<string, [FieldValue, FieldValue]> }>;
  /** Usernames to disable: in the store, active, and no longer in the directory. */
  disable: string[];
  unchanged: number;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sameGroups(a: string[], b: string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((g, i) => g === y[i]);
}

function changesFor(before: ExistingUser, after: DirectoryUser): Record<string, [FieldValue, FieldValue]> {
  const changes: Record<string, [FieldValue, FieldValue]> = {};
  if (before.username !== after.username) changes.username = [before.username, after.username];
  for (const field of ['realName', 'email', 'phone'] as const) {
    if (before[field] !== after[field]) changes[field] = [before[field], after[field]];
  }
  if (!sameGroups(before.groups, after.groups)) {
    changes.groups = [[...before.groups].sort(), [...after.groups].sort()];
  }
  if (before.status === 'disabled' && before.disabledBy !== 'admin') changes.status = ['disabled', 'active'];
  return changes;
}

/**
 * Plans a sync. Usernames match by canonical key (docs/usernames.md): case-insensitively, as LDAP does; the
 * caller leaves out names the canonical form refuses (INVALID_USERNAME otherwise). Users missing from the directory
 * are disabled, never deleted; a user who comes back is re-enabled through an update of `status`.
 */
export function diffDirectory(existing: ExistingUser[], incoming: DirectoryUser[]): DirectoryDiff {
  const stored = new Map(existing.map((u) => [requireUsername(u.username).key, u]));
  const seen = new Set<string>();
  const diff: DirectoryDiff = { add: [], update: [], disable: [], unchanged: 0 };
  for (const user of incoming) {
    const key = requireUsername(user.username).key;
    if (seen.has(key)) continue; // a duplicate in the read: the first one wins
    seen.add(key);
    const before = stored.get(key);
    if (!before) {
      diff.add.push(user);
      continue;
    }
    const changes = changesFor(before, user);
    if (Object.keys(changes).length > 0) diff.update.push({ username: before.username, changes });
    else diff.unchanged++;
  }
  for (const [key, user] of stored) {
    if (seen.has(key)) continue;
    if (user.status === 'disabled') diff.unchanged++;
    else diff.disable.push(user.username);
  }
  diff.add.sort((a, b) => byName(a.username, b.username));
  diff.update.sort((a, b) => byName(a.username, b.username));
  diff.disable.sort(byName);
  return diff;
}
