// Settings for one LDAP / Active Directory directory, and their validation with defaults.
import { FilterParser } from 'ldapts';

/** Attribute names to read; 'a|b' means "a, or b when a is absent". */
export interface LdapAttributeMap {
  name: string;
  email: string;
  phone: string;
  memberOf: string;
}

export interface LdapDirectoryConfig {
  name: string;
  /** ldap:// or ldaps:// URLs, tried in order (failover). */
  urls: string[];
  bindDn: string;
  bindPassword: string;
  /** User search base. */
  baseDn: string;
  /** uid | sAMAccountName | userPrincipalName | mail | ... */
  userAttribute: string;
  /** Extra filter ANDed into every user search; default '(objectClass=*)'. */
  userFilter?: string;
  /** When set, groups are also read from entries here (member / uniqueMember / memberUid). */
  groupBaseDn?: string;
  startTls: boolean;
  tlsCaPem?: string;
  /** Default true. */
  tlsRejectUnauthorized?: boolean;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
  attributes: LdapAttributeMap;
}

export type LdapConfigResult = { ok: true; config: LdapDirectoryConfig } | { ok: false; errors: string[] };

export const DEFAULT_ATTRIBUTES: LdapAttributeMap = {
  name: 'displayName|cn',
  email: 'mail',
  phone: 'telephoneNumber|mobile',
  memberOf: 'memberOf',
};

const KNOWN = new Set([
  'name',
  'urls',
  'bindDn',
  'bindPassword',
  'baseDn',
  'userAttribute',
  'userFilter',
  'groupBaseDn',
  'startTls',
  'tlsCaPem',
  'tlsRejectUnauthorized',
  'connectTimeoutMs',
  'operationTimeoutMs',
  'attributes',
]);

// RFC 4512 §2.5: an attribute description is a keystring (letter, then letters/digits/hyphens) or an OID
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v)));

/** Checks raw settings (e.g. parsed TOML) and fills defaults; reports every problem at once. */
export function validateLdapConfig(input: unknown): LdapConfigResult {
  const errors: string[] = [];
  const fail = (key: string, want: string, got: unknown) =>
    errors.push(`ldap: option '${key}' must be ${want} but it's ${show(got)}`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [`ldap: settings must be a table of options but it's ${show(input)}`] };
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) errors.push(`ldap: unknown option '${key}'`);

  const text = (key: string, required: boolean): string | undefined => {
    const v = raw[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') fail(key, 'a non-empty string', v);
    return typeof v === 'string' ? v : undefined;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'boolean') fail(key, 'true or false', v);
    return v === true;
  };
  const millis = (key: string, fallback: number): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 600_000) {
      fail(key, 'a whole number of milliseconds from 1 to 600000', v);
    }
    return typeof v === 'number' ? v : fallback;
  };

  const name = text('name', true) ?? '';
  const urls = Array.isArray(raw.urls) ? raw.urls : [];
  if (!Array.isArray(raw.urls) || urls.length === 0) fail('urls', 'a non-empty list of URLs', raw.urls);
  for (const url of urls) if (!isLdapUrl(url)) fail('urls', 'ldap:// or ldaps:// URLs', url);
  const bindDn = text('bindDn', true) ?? '';
  // RFC 4513 §5.1.2: an empty password makes an unauthenticated bind, which "succeeds" without checking anything
  const bindPassword = text('bindPassword', true) ?? '';
  const baseDn = text('baseDn', true) ?? '';
  const userAttribute = text('userAttribute', true) ?? '';
  if (userAttribute && !ATTRIBUTE_NAME.test(userAttribute))
    fail('userAttribute', 'an attribute name', userAttribute);
  const userFilter = text('userFilter', false) ?? '(objectClass=*)';
  if (!isLdapFilter(userFilter)) fail('userFilter', 'an RFC 4515 filter in parentheses', userFilter);
  const groupBaseDn = text('groupBaseDn', false);
  const startTls = flag('startTls', false);
  if (startTls && urls.some((u) => typeof u === 'string' && u.toLowerCase().startsWith('ldaps:'))) {
    fail('startTls', 'false with ldaps:// URLs (they are already encrypted)', true);
  }
  const tlsCaPem = text('tlsCaPem', false);
  if (tlsCaPem && !tlsCaPem.includes('-----BEGIN CERTIFICATE-----')) {
    fail('tlsCaPem', 'PEM certificates (-----BEGIN CERTIFICATE-----)', `${tlsCaPem.slice(0, 30)}...`);
  }
  const tlsRejectUnauthorized = flag('tlsRejectUnauthorized', true);
  const connectTimeoutMs = millis('connectTimeoutMs', 5000);
  const operationTimeoutMs = millis('operationTimeoutMs', 10000);
  const attributes = readAttributes(raw.attributes, errors);

  if (errors.length > 0) return { ok: false, errors };
  const config: LdapDirectoryConfig = {
    name,
    urls: urls as string[],
    bindDn,
    bindPassword,
    baseDn,
    userAttribute,
    userFilter,
    startTls,
    tlsRejectUnauthorized,
    connectTimeoutMs,
    operationTimeoutMs,
    attributes,
  };
  if (groupBaseDn !== undefined) config.groupBaseDn = groupBaseDn;
  if (tlsCaPem !== undefined) config.tlsCaPem = tlsCaPem;
  return { ok: true, config };
}

function readAttributes(v: unknown, errors: string[]): LdapAttributeMap {
  if (v === undefined) return { ...DEFAULT_ATTRIBUTES };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    errors.push(
      `ldap: option 'attributes' must be a table (name, email, phone, memberOf) but it's ${show(v)}`,
    );
    return { ...DEFAULT_ATTRIBUTES };
  }
  const out = { ...DEFAULT_ATTRIBUTES };
  for (const [key, value] of Object.entries(v)) {
    if (!(key in DEFAULT_ATTRIBUTES)) {
      errors.push(`ldap: unknown option 'attributes.${key}'`);
    } else if (typeof value !== 'string' || !value.split('|').every((a) => ATTRIBUTE_NAME.test(a.trim()))) {
      errors.push(
        `ldap: option 'attributes.${key}' must be attribute names joined by '|' but it's ${show(value)}`,
      );
    } else {
      out[key as keyof LdapAttributeMap] = value;
    }
  }
  return out;
}

function isLdapUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const url = new URL(v);
    return (url.protocol === 'ldap:' || url.protocol === 'ldaps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** True when the string is one parenthesized RFC 4515 filter that ldapts can parse. */
export function isLdapFilter(filter: string): boolean {
  if (!filter.startsWith('(') || !filter.endsWith(')')) return false;
  try {
    FilterParser.parseString(filter);
    return true;
  } catch {
    return false;
  }
}

/** Splits an 'a|b' attribute list into names. */
export function attributeNames(list: string): string[] {
  return list
    .split('|')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}
