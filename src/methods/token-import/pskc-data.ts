// Reads PSKC Key/Data values (RFC 6030 §4.2): the Secret (plain or encrypted) and integer fields.

import { decodeBase64, valueMacMatches } from './pskc-crypto.ts';
import type { Protection } from './pskc-protection.ts';
import { decryptEncryptedData } from './pskc-protection.ts';
import type { Checked } from './token-rules.ts';
import { child, textOf, type XmlElement } from './xml-tree.ts';

const fail = (message: string): Checked<never> => ({ ok: false, message });

/** Checks the Secret's ValueMAC against the raw CipherValue (IV || ciphertext), RFC 6030 §6.1.1. */
function checkValueMac(
  secret: XmlElement,
  encrypted: XmlElement,
  protection: Protection & { state: 'key' },
): Checked<true> {
  const macText = textOf(child(secret, 'ValueMAC'));
  if (protection.mac === null) {
    if (macText === undefined) return { ok: true, value: true };
    return fail('Secret has a ValueMAC but the file has no MACMethod/MACKey to check it with');
  }
  if (macText === undefined)
    return fail('ValueMAC is missing; RFC 6030 §6.1.1 requires it for CBC-encrypted values');
  const mac = decodeBase64(macText);
  if (!mac.ok) return fail(`ValueMAC: ${mac.message}`);
  const cipherValue = decodeBase64(textOf(child(encrypted, 'CipherData', 'CipherValue')) ?? '');
  if (!cipherValue.ok) return fail(`CipherValue: ${cipherValue.message}`);
  if (!valueMacMatches(protection.mac.hash, protection.mac.key, cipherValue.value, mac.value)) {
    return fail('ValueMAC does not match: the file was altered or the pre-shared key is wrong');
  }
  return { ok: true, value: true };
}

/**
 * Reads Data/Secret as bytes. Returns null when the secret is encrypted but cannot be read because
 * of a container-level problem that has already been reported (no key, or a broken MAC key).
 */
export function readSecret(data: XmlElement | undefined, protection: Protection): Checked<Uint8Array> | null {
  const secret = child(data, 'Secret');
  if (secret === undefined) return fail('Data/Secret is missing');
  const plain = textOf(child(secret, 'PlainValue'));
  if (plain !== undefined) {
    const bytes = decodeBase64(plain);
    return bytes.ok ? bytes : fail(`PlainValue: ${bytes.message}`);
  }
  const encrypted = child(secret, 'EncryptedValue');
  if (encrypted === undefined) return fail('Secret has neither PlainValue nor EncryptedValue');
  if (protection.state !== 'key') return null;
  // Encrypt-then-MAC: verify before decrypting.
  const mac = checkValueMac(secret, encrypted, protection);
  if (!mac.ok) return mac;
  return decryptEncryptedData(encrypted, protection.key);
}

/** Reads Data/<name>/PlainValue as text ('' when absent); encrypted integer fields are not supported. */
export function readPlainField(data: XmlElement | undefined, name: string): Checked<string> {
  const field = child(data, name);
  if (field === undefined) return { ok: true, value: '' };
  if (child(field, 'EncryptedValue') !== undefined) return fail(`an encrypted ${name} is not supported`);
  return { ok: true, value: textOf(child(field, 'PlainValue')) ?? '' };
}
