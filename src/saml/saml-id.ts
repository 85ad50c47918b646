// Message and assertion IDs: xs:ID values (an NCName, so a leading underscore) with 160 random bits.
import type { Random } from '../core/clock.ts';

/** A fresh ID; SAML core §1.3.4 asks for at least 128 bits of randomness. */
export function newSamlId(random: Random): string {
  return `_${random.bytes(20).toString('hex')}`;
}
