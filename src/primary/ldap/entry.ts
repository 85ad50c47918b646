// Turns ldapts search entries into DirectoryUser records (case-insensitive attribute lookup, 'a|b' fallbacks).
import type { Entry } from 'ldapts';
import { attributeNames, type LdapDirectoryConfig } from './config.ts';
import { firstRdnValue } from './dn.ts';

/** A user as read from the directory. */
export interface DirectoryUser {
  dn: string;
  username: string;
  realName: string | null;
  email: string | null;
  phone: string | null;
  /** Group names (cn values), sorted, without duplicates. */
  groups: string[];
}

/** All values of an attribute, matching its name case-insensitively (servers echo their own spelling). */
export function attributeValues(entry: Entry, name: string): string[] {
  const wanted = name.toLowerCase();
  for (const [key, raw] of Object.entries(entry)) {
    if (key === 'dn' || key.toLowerCase() !== wanted) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v)).filter((v) => v !== '');
  }
  return [];
}

/** The first value of the first attribute in an 'a|b' list that has one, or null. */
export function firstValue(entry: Entry, list: string): string | null {
  for (const name of attributeNames(list)) {
    const [value] = attributeValues(entry, name);
    if (value !== undefined) return value;
  }
  return null;
}

/** The attributes to request for users under this configuration. */
export function userAttributesToRead(config: LdapDirectoryConfig): string[] {
  const { name, email, phone, memberOf } = config.attributes;
  const names = [config.userAttribute, 'uid', ...[name, email, phone, memberOf].flatMap(attributeNames)];
  return [...new Set(names)];
}

/** The posix uid values a memberUid may refer to (RFC 2307: the uid attribute, else the login name). */
export function posixUids(entry: Entry, username: string): string[] {
  const uids = attributeValues(entry, 'uid');
  return uids.length > 0 ? uids : [username];
}

/** Sorted, de-duplicated group names. */
export function sortGroups(groups: Iterable<string>): string[] {
  return [...new Set(groups)].sort();
}

/**
 * Builds a DirectoryUser from an entry; null when the entry lacks the username attribute.
 * Groups come from the memberOf attribute (first RDN value of each DN) plus `extraGroups`.
 */
export function toDirectoryUser(
  config: LdapDirectoryConfig,
  entry: Entry,
  extraGroups: Iterable<string> = [],
): DirectoryUser | null {
  const username = firstValue(entry, config.userAttribute);
  if (username === null) return null;
  const memberOf = attributeNames(config.attributes.memberOf).flatMap((a) => attributeValues(entry, a));
  const fromMemberOf = memberOf.map(firstRdnValue).filter((g): g is string => g !== null && g !== '');
  return {
    dn: entry.dn,
    username,
    realName: firstValue(entry, config.attributes.name),
    email: firstValue(entry, config.attributes.email),
    phone: firstValue(entry, config.attributes.phone),
    groups: sortGroups([...fromMemberOf, ...extraGroups]),
  };
}
