// Retransmission cache: in-flight duplicates, cached replies, TTL expiry on a frozen clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualClock } from '../../core/clock.ts';
import { createRetransmitCache, retransmitKey } from './retransmit-cache.ts';

const AUTH = Buffer.alloc(16, 1);

test('the key distinguishes address, port, identifier and authenticator', () => {
  const base = retransmitKey('10.0.0.1', 1812, 5, AUTH);
  assert.notEqual(base, retransmitKey('10.0.0.2', 1812, 5, AUTH));
  assert.notEqual(base, retransmitKey('10.0.0.1', 1813, 5, AUTH));
  assert.notEqual(base, retransmitKey('10.0.0.1', 1812, 6, AUTH));
  assert.notEqual(base, retransmitKey('10.0.0.1', 1812, 5, Buffer.alloc(16, 2)));
  assert.equal(base, retransmitKey('10.0.0.1', 1812, 5, Buffer.alloc(16, 1)));
});

test('new, then in-flight while the handler runs, then done with the reply', () => {
  const clock = manualClock(0);
  const cache = createRetransmitCache({ clock });
  assert.deepEqual(cache.begin('k'), { state: 'new' });
  assert.deepEqual(cache.begin('k'), { state: 'in-flight' });
  clock.advance(500_000); // in-flight entries never expire under a running handler
  assert.deepEqual(cache.begin('k'), { state: 'in-flight' });
  cache.complete('k', Buffer.from('reply'));
  assert.deepEqual(cache.begin('k'), { state: 'done', reply: Buffer.from('reply') });
});

test('a done entry expires after the TTL (default 120 s)', () => {
  const clock = manualClock(1_000);
  const cache = createRetransmitCache({ clock });
  cache.begin('k');
  cache.complete('k', Buffer.from('r'));
  clock.advance(119_999);
  assert.equal(cache.begin('k').state, 'done');
  clock.advance(1);
  assert.equal(cache.begin('k').state, 'new');
});

test('expired entries are swept, abandoned keys are forgotten', () => {
  const clock = manualClock(0);
  const cache = createRetransmitCache({ clock, ttlMs: 10 });
  for (let i = 0; i < 50; i++) {
    cache.begin(`k${i}`);
    cache.complete(`k${i}`, Buffer.from('r'));
  }
  cache.begin('pending');
  assert.equal(cache.size(), 51);
  clock.advance(10);
  cache.begin('other');
  assert.equal(cache.size(), 2, 'only the two in-flight entries remain');
  cache.abandon('pending');
  assert.equal(cache.begin('pending').state, 'new');
});
