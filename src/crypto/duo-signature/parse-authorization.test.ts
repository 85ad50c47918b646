// Authorization header parsing (§2.1, §2.6 item 1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAuthorization } from './parse-authorization.ts';

const SHA1 = 'f01811cbbf9561623ab45b893096267fd46a5178';
const SHA512 = 'ab'.repeat(64);
const basic = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;

describe('parseAuthorization', () => {
  it('reads ikey and a 40- or 128-character signature', () => {
    assert.deepEqual(parseAuthorization(basic(`DIXXXXXXXXXXXXXXXXXX:${SHA1}`)), {
      ikey: 'DIXXXXXXXXXXXXXXXXXX',
      signature: SHA1,
    });
    assert.deepEqual(parseAuthorization(basic(`test_ikey:${SHA512}`)), {
      ikey: 'test_ikey',
      signature: SHA512,
    });
  });

  it('accepts uppercase hex and returns it lowercased, and a lowercase scheme', () => {
    assert.deepEqual(parseAuthorization(basic(`ik:${SHA1.toUpperCase()}`)), { ikey: 'ik', signature: SHA1 });
    assert.deepEqual(parseAuthorization(`basic ${Buffer.from(`ik:${SHA1}`).toString('base64')}`)?.ikey, 'ik');
  });

  it('returns null for absent, non-Basic or malformed credentials', () => {
    const cases: Array<string | undefined> = [
      undefined,
      '',
      'Basic',
      'Basic ',
      `Bearer ${Buffer.from(`ik:${SHA1}`).toString('base64')}`,
      basic(`ik${SHA1}`), // no colon
      basic(`:${SHA1}`), // empty ikey
      basic(`ik:${SHA1.slice(1)}`), // 39 hex
      basic(`ik:${SHA1}0`), // 41 hex
      basic(`ik:${'a'.repeat(64)}`), // SHA-256 length
      basic(`ik:${SHA1.slice(0, 39)}g`), // not hex
      basic(`ik:${SHA1}\n`),
      'Basic !!!!',
      `Basic ${Buffer.from(`ik:${SHA1}`).toString('base64').replace(/=+$/, '')}`, // padding removed
      `Basic ${Buffer.from([0x69, 0xff, 0x3a]).toString('base64')}`, // invalid UTF-8
    ];
    for (const header of cases) assert.equal(parseAuthorization(header), null, String(header));
  });

  it('never throws and accepts only well-formed signatures', () => {
    const header = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'binary' }).map(basic),
      fc.uint8Array().map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
    );
    fc.assert(
      fc.property(header, (h) => {
        const parsed = parseAuthorization(h);
        if (parsed !== null) assert.match(parsed.signature, /^(?:[0-9a-f]{40}|[0-9a-f]{128})$/);
      }),
      { numRuns: 2000 },
    );
  });
});
