// Reads every user (with groups) from a directory using paged searches, for directory sync.
import { canonicalUsername } from '../../core/usernames.ts';
import { isLdapFilter, type LdapDirectoryConfig } from './config.ts';
import { closeClient, connectLdap } from './connect.ts';
import { type DirectoryUser, posixUids, sortGroups, toDirectoryUser, userAttributesToRead } from './entry.ts';
import { type GroupIndex, groupsOf, readGroups } from './groups.ts';

/** Bad options given to readDirectoryUsers (thrown before any network call). */
export class LdapReadOptionsError extends Error {
  override name = 'LdapReadOptionsError';
}

export interface ReadUsersOptions {
  /** An extra RFC 4515 filter ANDed into the user search (e.g. '(memberOf=cn=mfa,ou=groups,dc=example,dc=org)'). */
  filter?: string;
  /** Entries per page (RFC 2696 paged results); default 500. */
  pageSize?: number;
}

/**
 * Reads all users under baseDn that match userFilter (and opts.filter), sorted by username.
 * Usernames held by more than one entry are left out: they cannot log in either (see authenticateLdap).
 * Throws LdapUnavailableError when no server answers, and ldapts errors for a failed search.
 */
export async function readDirectoryUsers(
  config: LdapDirectoryConfig,
  opts: ReadUsersOptions = {},
): Promise<DirectoryUser[]> {
  const pageSize = opts.pageSize ?? 500;
  if (opts.filter !== undefined && !isLdapFilter(opts.filter)) {
    throw new LdapReadOptionsError(
      `ldap: filter must be an RFC 4515 filter in parentheses but it's '${opts.filter}'`,
    );
  }
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new LdapReadOptionsError(`ldap: pageSize must be a whole number above 0 but it's ${pageSize}`);
  }
  const { client } = await connectLdap(config);
  try {
    const filter = `(&${config.userFilter ?? '(objectClass=*)'}${opts.filter ?? ''}(${config.userAttribute}=*))`;
    const { searchEntries } = await client.search(config.baseDn, {
      scope: 'sub',
      filter,
      attributes: userAttributesToRead(config),
      paged: { pageSize },
    });
    const index: GroupIndex | null = config.groupBaseDn
      ? await readGroups(client, config, config.groupBaseDn, undefined, pageSize)
      : null;

    const byName = new Map<string, DirectoryUser | 'ambiguous'>();
    for (const entry of searchEntries) {
      const user = toDirectoryUser(config, entry);
      if (!user) continue;
      if (index) {
        const extra = groupsOf(index, entry.dn, posixUids(entry, user.username));
        user.groups = sortGroups([...user.groups, ...extra]);
      }
      // 'Alice' and 'alice' are the same login, here as in LDAP (canonical key). A name the canonical form
      // refuses keeps its own spelling: the sync reports and skips it.
      const checked = canonicalUsername(user.username);
      const key = checked.ok ? checked.key : user.username;
      byName.set(key, byName.has(key) ? 'ambiguous' : user);
    }
    return [...byName.values()]
      .filter((u): u is DirectoryUser => u !== 'ambiguous')
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  } finally {
    await closeClient(client);
  }
}
