// Identifiers in the shapes Duo clients expect: a type letter prefix plus uppercase alphanumerics.
import type { Random } from './clock.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function pick(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.int(alphabet.length)];
  return out;
}

/** A 20-character id: `prefix` followed by uppercase alphanumerics (user DU…, device D…, integration DI…). */
export function newId(random: Random, prefix: string): string {
  return prefix + pick(random, ALPHABET, 20 - prefix.length);
}

/** A 40-character integration secret key (about 238 bits). */
export function newSecretKey(random: Random): string {
  return pick(random, SECRET_ALPHABET, 40);
}

/** A string of `length` decimal digits, uniformly chosen. */
export function newDigits(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(random.int(10));
  return out;
}
