// Escaping of untrusted values placed into LDAP search filters (RFC 4515) and distinguished names (RFC 4514).

const FILTER_SPECIAL = new Set([0x00, 0x28, 0x29, 0x2a, 0x5c]); // NUL ( ) * \

const hex = (byte: number) => `\\${byte.toString(16).padStart(2, '0')}`;

/**
 * Escapes a value for an assertion in a search filter.
 * RFC 4515 §3: '*', '(', ')', '\' and NUL must be written as '\XX'; we also escape every non-ASCII
 * byte of the UTF-8 encoding so the filter string stays 7-bit clean whatever the transport.
 */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += FILTER_SPECIAL.has(byte) || byte >= 0x80 ? hex(byte) : String.fromCharCode(byte);
  }
  return out;
}

const DN_SPECIAL = new Set(['"', '+', ',', ';', '<', '>', '\\']);

/**
 * Escapes an attribute value for use inside a DN (RFC 4514 §2.4): '"', '+', ',', ';', '<', '>', '\'
 * get a backslash; a leading '#' or space and a trailing space get a backslash; NUL becomes '\00'.
 */
export function escapeDnValue(value: string): string {
  let out = '';
  const chars = [...value];
  chars.forEach((ch, i) => {
    if (ch === '\0') out += '\\00';
    else if (DN_SPECIAL.has(ch)) out += `\\${ch}`;
    else if (i === 0 && (ch === '#' || ch === ' ')) out += `\\${ch}`;
    else if (i === chars.length - 1 && ch === ' ') out += '\\ ';
    else out += ch;
  });
  return out;
}
