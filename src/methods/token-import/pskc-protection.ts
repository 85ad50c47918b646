// Container-level PSKC key handling (RFC 6030 §6.1): checks for a pre-shared key and unwraps the MAC key.
import type { ImportRowError } from './imported-token.ts';
import { decodeBase64, decryptCipherValue, macHashFor } from './pskc-crypto.ts';
import type { Checked } from './token-rules.ts';
import { attrOf, child, textOf, type XmlElement } from './xml-tree.ts';

/**
 * How encrypted values in this file can be read: `none` (no key given; any encrypted value was already
 * reported), `broken` (key setup failed and was reported), or `key` with the optional MAC key.
 */
export type Protection =
  | { state: 'none' | 'broken' }
  | { state: 'key'; key: Uint8Array; mac: { hash: string; key: Uint8Array } | null };

/** True when an element named `name` occurs anywhere below `root` (iterative, so deep input is safe). */
function containsElement(root: XmlElement, name: string): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (typeof node === 'object' && node !== null) {
      if (Object.hasOwn(node, name)) return true;
      stack.push(...Object.values(node));
    }
  }
  return false;
}

/** Decrypts an XML Encryption EncryptedDataType element (EncryptionMethod + CipherData/CipherValue). */
export function decryptEncryptedData(element: XmlElement, key: Uint8Array): Checked<Uint8Array> {
  const cipherText = textOf(child(element, 'CipherData', 'CipherValue'));
  if (cipherText === undefined) return { ok: false, message: 'CipherData/CipherValue is missing' };
  const cipherValue = decodeBase64(cipherText);
  if (!cipherValue.ok) return { ok: false, message: `CipherValue: ${cipherValue.message}` };
  return decryptCipherValue(attrOf(child(element, 'EncryptionMethod'), 'Algorithm'), key, cipherValue.value);
}

/** Works out how encrypted values can be read, reporting container-level problems at line 1. */
export function setUpProtection(
  container: XmlElement,
  preSharedKey: Uint8Array | undefined,
  errors: ImportRowError[],
): Protection {
  const report = (field: string, message: string): Protection => {
    errors.push({ line: 1, field, message });
    return { state: 'broken' };
  };
  if (child(container, 'EncryptionKey', 'DerivedKey') !== undefined) {
    return report(
      'EncryptionKey',
      'password-based (DerivedKey) encryption is not supported; use a pre-shared key',
    );
  }
  const macMethod = child(container, 'MACMethod');
  const encrypted = macMethod !== undefined || containsElement(container, 'EncryptedValue');
  if (preSharedKey === undefined) {
    if (encrypted) report('EncryptionKey', 'this file is encrypted; a pre-shared key is needed to import it');
    return { state: 'none' };
  }
  if (macMethod === undefined) return { state: 'key', key: preSharedKey, mac: null };
  const hash = macHashFor(attrOf(macMethod, 'Algorithm'));
  if (!hash.ok) return report('MACMethod', hash.message);
  const macKeyElement = child(macMethod, 'MACKey');
  if (macKeyElement === undefined) return report('MACMethod', 'MACMethod has no MACKey');
  const macKey = decryptEncryptedData(macKeyElement, preSharedKey);
  if (!macKey.ok) return report('MACMethod/MACKey', `MACKey: ${macKey.message}`);
  return { state: 'key', key: preSharedKey, mac: { hash: hash.value, key: macKey.value } };
}
