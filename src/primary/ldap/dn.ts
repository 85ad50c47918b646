// Minimal RFC 4514 DN reading: split into RDNs, unescape values, compare DNs, take the first RDN's value.

export interface Rdn {
  type: string;
  value: string;
}

const isHex = (s: string) => /^[0-9a-fA-F]{2}$/.test(s);

/** Collects one value's bytes; unescaped spaces at either end are dropped, escaped ones kept. */
class ValueBytes {
  bytes: number[] = [];
  keep = 0; // length up to the last byte that is not an unescaped trailing space

  escaped(...b: number[]): void {
    this.bytes.push(...b);
    this.keep = this.bytes.length;
  }

  plain(ch: string): void {
    if (ch === ' ' && this.bytes.length === 0) return;
    this.bytes.push(...Buffer.from(ch, 'utf8'));
    if (ch !== ' ') this.keep = this.bytes.length;
  }

  text(): string {
    return Buffer.from(this.bytes.slice(0, this.keep)).toString('utf8');
  }
}

/**
 * Splits a DN string into its RDNs (first = most specific), unescaping '\c' and '\XX' in values.
 * Multi-valued RDNs ('a=1+b=2') keep only their first attribute. Returns null on malformed input.
 */
export function parseDn(dn: string): Rdn[] | null {
  if (dn.trim() === '') return null;
  const rdns: Rdn[] = [];
  let type = '';
  let value = new ValueBytes();
  let inType = true;
  let skipRest = false; // inside the later parts of a multi-valued RDN
  const flush = () => {
    if (inType || type.trim() === '') return false;
    rdns.push({ type: type.trim(), value: value.text() });
    return true;
  };
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i]!;
    if (ch === '\\') {
      if (inType) return null;
      const pair = dn.slice(i + 1, i + 3);
      const next = dn[i + 1];
      if (next === undefined) return null;
      const bytes = isHex(pair) ? [Number.parseInt(pair, 16)] : [...Buffer.from(next, 'utf8')];
      if (!skipRest) value.escaped(...bytes);
      i += isHex(pair) ? 2 : 1;
    } else if (ch === ',' || ch === ';') {
      if (!flush()) return null;
      type = '';
      value = new ValueBytes();
      inType = true;
      skipRest = false;
    } else if (inType) {
      if (ch === '=') inType = false;
      else type += ch;
    } else if (ch === '+') {
      skipRest = true;
    } else if (!skipRest) {
      value.plain(ch);
    }
  }
  return flush() ? rdns : null;
}

/** The unescaped value of a DN's first RDN ('cn=VPN Users,ou=groups,...' → 'VPN Users'), or null. */
export function firstRdnValue(dn: string): string | null {
  return parseDn(dn)?.[0]?.value ?? null;
}

/**
 * A comparison key for DNs: attribute types and values lowercased, escapes resolved, spaces around
 * separators dropped. Good enough for the case-insensitive naming attributes (cn, uid, ou, dc) used in DNs.
 */
export function normalizeDn(dn: string): string {
  const rdns = parseDn(dn);
  if (!rdns) return dn.trim().toLowerCase();
  // JSON keeps a ',' inside a value apart from the RDN separator
  return JSON.stringify(rdns.map((r) => [r.type.toLowerCase(), r.value.toLowerCase()]));
}
