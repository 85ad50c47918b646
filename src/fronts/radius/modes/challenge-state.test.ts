import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secureRandom } from '../../../core/clock.ts';
import type { AuthTransaction } from '../../../core/model.ts';
import { decodeState, encodeState, newChallengeSecret, stateMatches } from './challenge-state.ts';

const txWith = (data: Record<string, unknown>) => ({ id: 'tx-1', data }) as unknown as AuthTransaction;

test('a State decodes to its transaction id and matches only the transaction that keeps its hash', () => {
  const challenge = newChallengeSecret(secureRandom, 'asa');
  const state = encodeState('0f4c-uuid', challenge.secret);
  const decoded = decodeState(state);
  assert.equal(decoded?.txid, '0f4c-uuid');
  assert.equal(stateMatches(txWith(challenge.data), decoded!.secret), true);
  const other = newChallengeSecret(secureRandom, 'asa');
  assert.equal(stateMatches(txWith(other.data), decoded!.secret), false);
  assert.equal(stateMatches(txWith({}), decoded!.secret), false);
  assert.equal(JSON.stringify(challenge.data).includes(challenge.secret.toString('base64url')), false);
});

test('States that cannot be ours are refused', () => {
  assert.equal(decodeState(Buffer.alloc(20)), null, 'no transaction id');
  assert.equal(decodeState(Buffer.concat([Buffer.from('bad id!'), Buffer.alloc(20)])), null);
  assert.equal(decodeState(Buffer.alloc(200, 0x61)), null, 'too long');
});
