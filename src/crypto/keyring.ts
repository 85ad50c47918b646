// The key ring: AES-256 master keys kept outside the database (a key file or an environment variable).
import { createHash, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import type { Random } from '../core/clock.ts';
import { CountersignError } from '../core/errors.ts';

/** Keys by id; `primaryId` seals new secrets, the others only open old ones. */
export interface KeyRing {
  primaryId: string;
  keys: ReadonlyMap<string, Buffer>;
}

interface KeyFile {
  version: 1;
  primary: string;
  keys: Record<string, string>;
}

/** Creates a ring with one fresh 256-bit key. */
export function newKeyRing(random: Random): KeyRing {
  const id = newKeyId(random);
  return { primaryId: id, keys: new Map([[id, random.bytes(32)]]) };
}

/** Adds a fresh key and makes it primary; earlier keys stay so existing hashes and seals still open. */
export function addPrimaryKey(ring: KeyRing, random: Random): KeyRing {
  const id = newKeyId(random);
  const keys = new Map(ring.keys);
  keys.set(id, random.bytes(32));
  return { primaryId: id, keys };
}

function newKeyId(random: Random): string {
  return `k${random.bytes(6).toString('hex')}`;
}

/** Parses a key ring from key-file JSON, or from a bare base64 32-byte key (the environment-variable form). */
export function parseKeyRing(text: string, origin: string): KeyRing {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const key = Buffer.from(trimmed, 'base64');
    if (key.length !== 32)
      throw new CountersignError('KEYRING_MISSING', `${origin}: expected 32 bytes of base64`);
    const id = `e${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
    return { primaryId: id, keys: new Map([[id, key]]) };
  }
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(trimmed) as KeyFile;
  } catch {
    throw new CountersignError('KEYRING_MISSING', `${origin}: not valid JSON`);
  }
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(parsed.keys ?? {})) {
    const key = Buffer.from(String(value), 'base64');
    if (key.length !== 32)
      throw new CountersignError('KEYRING_MISSING', `${origin}: key '${id}' is not 32 bytes`);
    keys.set(id, key);
  }
  if (!keys.has(parsed.primary)) {
    throw new CountersignError(
      'KEYRING_MISSING',
      `${origin}: primary key '${parsed.primary}' is not in the ring`,
    );
  }
  return { primaryId: parsed.primary, keys };
}

/** Serializes a ring to key-file JSON. */
export function formatKeyRing(ring: KeyRing): string {
  const keys: Record<string, string> = {};
  for (const [id, key] of ring.keys) keys[id] = key.toString('base64');
  const file: KeyFile = { version: 1, primary: ring.primaryId, keys };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads a key file; a missing file is a clear KEYRING_MISSING error naming the path. */
export async function readKeyFile(path: string): Promise<KeyRing> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CountersignError('KEYRING_MISSING', `no key file at ${path}: run 'countersign init' first`);
  }
  return parseKeyRing(text, path);
}

/** Writes a key file atomically (temp file, then rename) readable by its owner only. */
export async function writeKeyFile(path: string, ring: KeyRing): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, formatKeyRing(ring), { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

interface DerivedKey {
  bytes: Buffer;
  /** The same key as a KeyObject: createHmac/createCipheriv with a KeyObject skip the per-call key import. */
  object: KeyObject;
}

// Derived keys are cached per ring object: HKDF on every login would be wasted work on the hot path.
const derivedKeys = new WeakMap<KeyRing, Map<string, DerivedKey>>();

function derived(ring: KeyRing, keyId: string, purpose: string): DerivedKey {
  let cache = derivedKeys.get(ring);
  if (!cache) {
    cache = new Map();
    derivedKeys.set(ring, cache);
  }
  const cacheKey = `${keyId}\u0000${purpose}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const master = ring.keys.get(keyId);
  if (!master) throw new CountersignError('KEYRING_MISSING', `key '${keyId}' is not in the key ring`);
  const bytes = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `countersign:${purpose}`, 32));
  const key = { bytes, object: createSecretKey(bytes) };
  cache.set(cacheKey, key);
  return key;
}

/** Derives a purpose-specific subkey (HKDF-SHA256), so one master key never serves two algorithms. */
export function deriveKey(ring: KeyRing, keyId: string, purpose: string): Buffer {
  return derived(ring, keyId, purpose).bytes;
}

/** The subkey of deriveKey as a cached KeyObject, for HMACs and ciphers run on every login. */
export function deriveKeyObject(ring: KeyRing, keyId: string, purpose: string): KeyObject {
  return derived(ring, keyId, purpose).object;
}
