import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkExpiry } from './claims.ts';
import { JwtError, signHs512, verifyHs512 } from './jwt.ts';

const SECRET = 's'.repeat(40);
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const forge = (header: unknown, claims: unknown, secret = SECRET) => {
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${createHmac('sha512', secret).update(input).digest('base64url')}`;
};

describe('HS512 JWT', () => {
  it('round-trips, and accepts a header without typ (the Node SDK sends only alg)', () => {
    assert.deepEqual(verifyHs512(signHs512({ a: 1 }, SECRET), SECRET), { a: 1 });
    assert.deepEqual(verifyHs512(forge({ alg: 'HS512' }, { b: 2 }), SECRET), { b: 2 });
  });

  it('refuses other algorithms, other secrets, tampering and garbage', () => {
    const reason = (token: string) => {
      try {
        verifyHs512(token, SECRET);
        return 'accepted';
      } catch (error) {
        assert.ok(error instanceof JwtError);
        return error.reason;
      }
    };
    assert.equal(reason(forge({ alg: 'HS256' }, {})), 'algorithm');
    assert.equal(reason(forge({ alg: 'none' }, {})), 'algorithm');
    assert.equal(reason(forge({ alg: 'HS512' }, {}, 'x'.repeat(40))), 'signature');
    const [h, , s] = signHs512({ user: 'a' }, SECRET).split('.');
    assert.equal(reason(`${h}.${part({ user: 'b' })}.${s}`), 'signature');
    assert.equal(reason('not.a.jwt!'), 'malformed');
    assert.equal(reason('only-one-part'), 'malformed');
  });

  it('accepts float exp within 300 s and 60 s of skew, refuses expired or far-future ones', () => {
    const now = 1_800_000_000_000;
    assert.doesNotThrow(() => checkExpiry({ exp: now / 1000 + 299.5 }, now));
    assert.doesNotThrow(() => checkExpiry({ exp: now / 1000 - 30 }, now));
    assert.throws(() => checkExpiry({ exp: now / 1000 - 61 }, now), /expired/);
    assert.throws(() => checkExpiry({ exp: now / 1000 + 3600 }, now), /at most 300/);
    assert.throws(() => checkExpiry({}, now), /NumericDate/);
  });
});
