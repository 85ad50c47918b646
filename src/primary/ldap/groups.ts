// Reads group entries under groupBaseDn: groupOfNames (member), groupOfUniqueNames (uniqueMember), posixGroup (memberUid).
import { AndFilter, type Client, EqualityFilter, type Filter, FilterParser, OrFilter } from 'ldapts';
import type { LdapDirectoryConfig } from './config.ts';
import { normalizeDn } from './dn.ts';
import { attributeValues, firstValue } from './entry.ts';

/** Who is in which group: member DNs (normalized) and posix memberUid values, each mapped to group names. */
export interface GroupIndex {
  byMemberDn: Map<string, string[]>;
  byMemberUid: Map<string, string[]>;
}

const GROUP_CLASSES = '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))';

// RFC 4517 §3.3.21: a NameAndOptionalUID may end in "#'0101'B"
const stripOptionalUid = (dn: string) => dn.replace(/#'[01]*'B$/, '');

function push(map: Map<string, string[]>, key: string, group: string): void {
  const list = map.get(key);
  if (list) list.push(group);
  else map.set(key, [group]);
}

/** Reads groups under groupBaseDn, optionally only those matching `memberFilter`. */
export async function readGroups(
  client: Client,
  config: LdapDirectoryConfig,
  groupBaseDn: string,
  memberFilter?: Filter,
  pageSize = 500,
): Promise<GroupIndex> {
  const { searchEntries } = await client.search(groupBaseDn, {
    scope: 'sub',
    filter: memberFilter
      ? new AndFilter({ filters: [FilterParser.parseString(GROUP_CLASSES), memberFilter] })
      : GROUP_CLASSES,
    attributes: ['cn', 'member', 'uniqueMember', 'memberUid'],
    paged: { pageSize },
    timeLimit: Math.ceil(config.operationTimeoutMs / 1000),
  });
  const index: GroupIndex = { byMemberDn: new Map(), byMemberUid: new Map() };
  for (const entry of searchEntries) {
    const group = firstValue(entry, 'cn');
    if (group === null) continue;
    const dns = [
      ...attributeValues(entry, 'member'),
      ...attributeValues(entry, 'uniqueMember').map(stripOptionalUid),
    ];
    for (const dn of dns) push(index.byMemberDn, normalizeDn(dn), group);
    for (const uid of attributeValues(entry, 'memberUid')) push(index.byMemberUid, uid.toLowerCase(), group);
  }
  return index;
}

/** A filter (tree, so values need no escaping) for groups listing this user as member, uniqueMember or memberUid. */
export function membershipFilter(dn: string, uids: string[]): Filter {
  const terms = [
    new EqualityFilter({ attribute: 'member', value: dn }),
    new EqualityFilter({ attribute: 'uniqueMember', value: dn }),
    ...uids.map((uid) => new EqualityFilter({ attribute: 'memberUid', value: uid })),
  ];
  return new OrFilter({ filters: terms });
}

/** The group names the index gives for a user. */
export function groupsOf(index: GroupIndex, dn: string, uids: string[]): string[] {
  const fromDn = index.byMemberDn.get(normalizeDn(dn)) ?? [];
  const fromUid = uids.flatMap((uid) => index.byMemberUid.get(uid.toLowerCase()) ?? []);
  return [...fromDn, ...fromUid];
}
