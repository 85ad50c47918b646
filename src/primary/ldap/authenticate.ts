// Primary authentication against LDAP / Active Directory: service bind, find the user, bind as the user.
import {
  AndFilter,
  type Client,
  type Entry,
  EqualityFilter,
  type Filter,
  FilterParser,
  InvalidCredentialsError,
} from 'ldapts';
import type { LdapDirectoryConfig } from './config.ts';
import { closeClient, connectLdap, describeLdapError, openClient } from './connect.ts';
import { type DirectoryUser, posixUids, toDirectoryUser, userAttributesToRead } from './entry.ts';
import { groupsOf, membershipFilter, readGroups } from './groups.ts';

export type LdapAuthFailure =
  | 'bad-credentials'
  | 'unknown-user'
  | 'ambiguous-user'
  | 'empty-password'
  | 'unavailable';

export type LdapAuthResult =
  | { ok: true; user: DirectoryUser }
  | { ok: false; reason: LdapAuthFailure; detail?: string };

/**
 * The search filter for one login name: the configured filter ANDed with an equality match.
 * Built as a filter tree, not a string, so the name is sent as a BER octet string and can never be read
 * as filter syntax. (ldapts' string parser turns '\XX' escapes into Latin-1 characters, which would also
 * break non-ASCII names escaped per RFC 4515; its toString() gives the escaped form for logs.)
 */
export function userSearchFilter(config: LdapDirectoryConfig, username: string): Filter {
  return new AndFilter({
    filters: [
      FilterParser.parseString(config.userFilter ?? '(objectClass=*)'),
      new EqualityFilter({ attribute: config.userAttribute, value: username }),
    ],
  });
}

async function findUser(client: Client, config: LdapDirectoryConfig, username: string): Promise<Entry[]> {
  const { searchEntries } = await client.search(config.baseDn, {
    scope: 'sub',
    filter: userSearchFilter(config, username),
    attributes: userAttributesToRead(config),
    sizeLimit: 2, // two hits are enough to know the name is ambiguous
    timeLimit: Math.ceil(config.operationTimeoutMs / 1000),
  });
  return searchEntries;
}

/** Checks a username and password against the directory and returns the user's details on success. */
export async function authenticateLdap(
  config: LdapDirectoryConfig,
  username: string,
  password: string,
): Promise<LdapAuthResult> {
  // RFC 4513 §5.1.2 / §6.3.1: a simple bind with an empty password is an unauthenticated bind that
  // succeeds without checking anything; a NUL would truncate the password in C-based servers.
  if (password === '' || password.includes('\0')) return { ok: false, reason: 'empty-password' };
  if (username === '') return { ok: false, reason: 'unknown-user' };

  let service: Awaited<ReturnType<typeof connectLdap>>;
  try {
    service = await connectLdap(config);
  } catch (error) {
    return { ok: false, reason: 'unavailable', detail: describeLdapError(error) };
  }
  try {
    const entries = await findUser(service.client, config, username);
    if (entries.length === 0) return { ok: false, reason: 'unknown-user' };
    if (entries.length > 1)
      return { ok: false, reason: 'ambiguous-user', detail: `${entries.length}+ entries match` };
    const entry = entries[0]!;

    const bound = await bindAsUser(config, service.url, entry.dn, password);
    if (bound !== 'ok') return bound;

    let extraGroups: string[] = [];
    if (config.groupBaseDn) {
      const uids = posixUids(entry, username);
      const index = await readGroups(
        service.client,
        config,
        config.groupBaseDn,
        membershipFilter(entry.dn, uids),
      );
      extraGroups = groupsOf(index, entry.dn, uids);
    }
    const user = toDirectoryUser(config, entry, extraGroups);
    if (!user)
      return { ok: false, reason: 'unknown-user', detail: `no ${config.userAttribute} on ${entry.dn}` };
    return { ok: true, user };
  } catch (error) {
    return { ok: false, reason: 'unavailable', detail: describeLdapError(error) };
  } finally {
    await closeClient(service.client);
  }
}

/** Binds as the user on a fresh connection to the same server, so the service session is never re-bound. */
async function bindAsUser(
  config: LdapDirectoryConfig,
  url: string,
  dn: string,
  password: string,
): Promise<'ok' | LdapAuthResult> {
  try {
    const client = await openClient(config, url, (c) => c.bind(dn, password));
    await closeClient(client);
    return 'ok';
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return { ok: false, reason: 'bad-credentials' };
    return { ok: false, reason: 'unavailable', detail: describeLdapError(error) };
  }
}
