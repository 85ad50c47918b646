import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CountersignError } from '../../core/errors.ts';
import { isStoreUnavailable } from './store-unavailable.ts';

test('store outages are recognised; other failures are not', () => {
  assert.equal(isStoreUnavailable(new CountersignError('STORE_UNAVAILABLE')), true);
  assert.equal(isStoreUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })), true);
  assert.equal(isStoreUnavailable(Object.assign(new Error('admin shutdown'), { code: '57P01' })), true);
  assert.equal(isStoreUnavailable(new Error('driver has already been destroyed')), true);
  assert.equal(isStoreUnavailable(new Error('wrapped', { cause: { code: '08006' } })), true);
  assert.equal(isStoreUnavailable(new CountersignError('INVALID_INPUT')), false);
  assert.equal(isStoreUnavailable(Object.assign(new Error('unique'), { code: '23505' })), false);
  assert.equal(isStoreUnavailable(new TypeError('x is undefined')), false);
});
