// The key ring: key-file format, environment-variable form, clear errors, derived keys per purpose.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { secureRandom } from '../core/clock.ts';
import { isCountersignError } from '../core/errors.ts';
import {
  addPrimaryKey,
  deriveKey,
  formatKeyRing,
  newKeyRing,
  parseKeyRing,
  readKeyFile,
  writeKeyFile,
} from './keyring.ts';

const dir = mkdtempSync(join(tmpdir(), 'countersign-keyring-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const keyringError = (pattern: RegExp) => (error: unknown) =>
  isCountersignError(error, 'KEYRING_MISSING') && pattern.test(error.detail ?? '');

test('a new ring has one 32-byte primary key', () => {
  const ring = newKeyRing(secureRandom);
  assert.equal(ring.keys.size, 1);
  assert.equal(ring.keys.get(ring.primaryId)?.length, 32);
});

test('format and parse round-trip a rotated ring', () => {
  const ring = addPrimaryKey(newKeyRing(secureRandom), secureRandom);
  const parsed = parseKeyRing(formatKeyRing(ring), 'test');
  assert.equal(parsed.primaryId, ring.primaryId);
  assert.deepEqual([...parsed.keys.entries()], [...ring.keys.entries()]);
});

test('a bare base64 key (COUNTERSIGN_MASTER_KEY) is a one-key ring with a stable id', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const a = parseKeyRing(key, 'env');
  const b = parseKeyRing(`  ${key}\n`, 'env');
  assert.equal(a.primaryId, b.primaryId);
  assert.match(a.primaryId, /^e[0-9a-f]{12}$/);
  assert.throws(
    () => parseKeyRing(Buffer.alloc(16).toString('base64'), 'env'),
    keyringError(/^env: expected 32/),
  );
});

test('bad key files are clear errors naming the origin', () => {
  assert.throws(() => parseKeyRing('{nope', 'keys.json'), keyringError(/keys.json: not valid JSON/));
  assert.throws(
    () => parseKeyRing(JSON.stringify({ version: 1, primary: 'k1', keys: { k1: 'AAAA' } }), 'f'),
    keyringError(/key 'k1' is not 32 bytes/),
  );
  const key = Buffer.alloc(32).toString('base64');
  assert.throws(
    () => parseKeyRing(JSON.stringify({ version: 1, primary: 'k2', keys: { k1: key } }), 'f'),
    keyringError(/primary key 'k2' is not in the ring/),
  );
});

test('writeKeyFile writes an owner-only file that readKeyFile reads back; a missing file says run init', async () => {
  const path = join(dir, 'master.key');
  const ring = newKeyRing(secureRandom);
  await writeKeyFile(path, ring);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal((await readKeyFile(path)).primaryId, ring.primaryId);
  assert.match(readFileSync(path, 'utf8'), /"version": 1/);
  await assert.rejects(readKeyFile(join(dir, 'absent.key')), keyringError(/countersign init/));
});

test('derived keys differ per purpose and per key, and are stable', () => {
  const ring = addPrimaryKey(newKeyRing(secureRandom), secureRandom);
  const [first, second] = [...ring.keys.keys()] as [string, string];
  assert.notDeepEqual(deriveKey(ring, first, 'seal'), deriveKey(ring, first, 'code-hash'));
  assert.notDeepEqual(deriveKey(ring, first, 'seal'), deriveKey(ring, second, 'seal'));
  assert.deepEqual(
    deriveKey(ring, first, 'seal'),
    deriveKey(parseKeyRing(formatKeyRing(ring), 'x'), first, 'seal'),
  );
  assert.throws(() => deriveKey(ring, 'k-unknown', 'seal'), keyringError(/k-unknown/));
});
