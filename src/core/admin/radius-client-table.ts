// The RADIUS client table: which source addresses may talk to us, and with which shared secret.
import { isIPv4, isIPv6 } from 'node:net';

/** A NAS allowed to send requests; `address` is an IPv4/IPv6 address or CIDR block. */
export interface RadiusClient {
  name: string;
  address: string;
  secret: string;
  /** Drop Access-Requests without a valid Message-Authenticator (BlastRADIUS); default true. */
  requireMessageAuthenticator?: boolean;
}

/** Thrown by createClientTable when an entry is unusable; the message names the entry. */
export class RadiusClientConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RadiusClientConfigError';
  }
}

export interface ClientTable<C extends RadiusClient> {
  /** The entry whose network contains `ip` with the longest prefix, or null for an unknown source. */
  findClient(ip: string): C | null;
}

interface Network {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

/** Builds a lookup table; throws RadiusClientConfigError on a bad address, empty secret or duplicate network. */
export function createClientTable<C extends RadiusClient>(entries: readonly C[]): ClientTable<C> {
  const rows: { network: Network; client: C }[] = [];
  const seen = new Map<string, string>();
  for (const [index, client] of entries.entries()) {
    const where = `RADIUS client #${index + 1} (${JSON.stringify(client.name)})`;
    if (client.secret.length === 0) throw new RadiusClientConfigError(`${where}: secret must not be empty`);
    const network = parseNetwork(client.address, where);
    const key = `${network.family}/${network.base}/${network.prefix}`;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new RadiusClientConfigError(`${where}: address ${client.address} is already used by ${other}`);
    }
    seen.set(key, where);
    rows.push({ network, client });
  }
  // Most specific first, so the first match is the longest prefix.
  rows.sort((a, b) => b.network.prefix - a.network.prefix);
  return {
    findClient(ip) {
      const address = parseAddress(ip);
      if (!address) return null;
      for (const { network, client } of rows) {
        if (network.family === address.family && contains(network, address.value)) return client;
      }
      return null;
    },
  };
}

function contains(network: Network, value: bigint): boolean {
  const bits = network.family === 4 ? 32 : 128;
  const shift = BigInt(bits - network.prefix);
  return value >> shift === network.base >> shift;
}

function parseNetwork(text: string, where: string): Network {
  const [host = '', prefixText, extra] = text.trim().split('/');
  const address = parseAddress(host);
  if (!address || extra !== undefined) {
    throw new RadiusClientConfigError(`${where}: "${text}" is not an IPv4/IPv6 address or CIDR block`);
  }
  const bits = address.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefixText !== undefined && (!/^\d{1,3}$/.test(prefixText) || prefix > bits)) {
    throw new RadiusClientConfigError(`${where}: prefix length in "${text}" must be 0..${bits}`);
  }
  const shift = BigInt(bits - prefix);
  if ((address.value >> shift) << shift !== address.value) {
    throw new RadiusClientConfigError(`${where}: "${text}" has host bits set after the /${prefix} prefix`);
  }
  return { family: address.family, base: address.value, prefix };
}

/** Parses an IP literal; IPv4-mapped IPv6 (::ffff:a.b.c.d, as seen on dual-stack sockets) becomes IPv4. */
function parseAddress(text: string): { family: 4 | 6; value: bigint } | null {
  const ip = text.split('%')[0] ?? '';
  if (isIPv4(ip)) return { family: 4, value: ipv4Value(ip) };
  if (!isIPv6(ip)) return null;
  const value = ipv6Value(ip);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

function ipv4Value(ip: string): bigint {
  return ip.split('.').reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n);
}

/** Assumes `ip` passed isIPv6: expands "::" and a trailing dotted IPv4 part into eight 16-bit groups. */
function ipv6Value(ip: string): bigint {
  let text = ip.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = Number(ipv4Value(tail));
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...restGroups];
  return groups.reduce((sum, group) => (sum << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}
