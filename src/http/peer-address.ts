// Client addresses at the TCP level: trusted-proxy ranges, and the key one client's connections are counted under.
import { BlockList, isIP, isIPv4 } from 'node:net';

/** The names Fastify's trustProxy (proxy-addr) accepts, with the ranges they stand for. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `1.2.3.4`, `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `2001:db8::/32` → address, family and prefix; null if malformed. */
function parseRange(entry: string): { address: string; family: 'ipv4' | 'ipv6'; prefix: number } | null {
  const [address = '', mask, ...rest] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return null;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (mask !== undefined) {
    if (/^[0-9]{1,3}$/.test(mask)) prefix = Number(mask);
    else if (version === 4 && isIPv4(mask)) {
      // A dotted netmask (proxy-addr accepts them): ones, then zeros.
      const hostBits = ~mask.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0) >>> 0;
      if ((hostBits & (hostBits + 1)) !== 0) return null;
      prefix = 32 - (hostBits === 0 ? 0 : hostBits.toString(2).length);
    } else return null;
  }
  if (prefix > bits) return null;
  return { address, family: version === 4 ? 'ipv4' : 'ipv6', prefix };
}

/** True when `entry` is an address, a CIDR (or address/netmask) or one of proxy-addr's names. */
export function isAddressRange(entry: string): boolean {
  return entry in NAMED_RANGES || parseRange(entry) !== null;
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack listener) → `192.0.2.1`; other addresses unchanged. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Matches addresses against `entries` (validated by the configuration). */
export function addressMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries.flatMap((item) => NAMED_RANGES[item] ?? [item])) {
    const range = parseRange(entry);
    if (range) list.addSubnet(range.address, range.prefix, range.family);
  }
  return (address) => {
    const plain = plainAddress(address);
    const version = isIP(plain);
    return version !== 0 && list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted, any zone dropped). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16));
}

/**
 * The key one client's connections are counted under: the IPv4 address, or the /64 of an IPv6 address
 * (RFC 6177: a site gets at least a /64, so one attacker holds every address in it).
 */
export function clientKey(address: string): string {
  const plain = plainAddress(address);
  if (isIP(plain) !== 6) return plain;
  return `${ipv6Groups(plain)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
