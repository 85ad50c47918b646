// endTransaction: a front ends a login it cannot carry on, as a deny with its reason, never over someone else's move.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CoreHarness, openCoreHarness } from '../../../test/support/core.ts';
import { isCountersignError } from '../errors.ts';
import { beginTransaction } from './begin-transaction.ts';
import { endTransaction } from './end-transaction.ts';
import { submitPasscode } from './submit-passcode.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

test('issue 15: endTransaction denies a waiting login with the reason and the factor that could not be used', async () => {
  const user = await h.user();
  await h.totp(user);
  const { tx } = await beginTransaction(h.deps, { app: await h.app(), user, ip: null, factor: null });
  const ended = await endTransaction(h.deps, tx, user, { reason: 'no_capable_device', factor: 'push' });
  assert.deepEqual([ended.state, ended.reason, ended.factor], ['deny', 'no_capable_device', 'push']);
  await assert.rejects(endTransaction(h.deps, ended, user, { reason: 'denied' }), (error) =>
    isCountersignError(error, 'TRANSACTION_FINISHED'),
  );
});

test('issue 15: endTransaction loses to a move made since the caller read the login (compare-and-set)', async () => {
  const user = await h.user();
  const { authenticator, seed } = await h.totp(user);
  const { tx } = await beginTransaction(h.deps, { app: await h.app(), user, ip: null, factor: null });
  const allowed = await submitPasscode(h.deps, tx.id, h.totpCode(authenticator, seed));
  assert.equal(allowed.state, 'allow');
  await assert.rejects(endTransaction(h.deps, tx, user, { reason: 'no_capable_device' }), (error) =>
    isCountersignError(error, 'TRANSACTION_FINISHED'),
  );
  assert.equal((await h.deps.store.transactions.get(tx.id))?.state, 'allow');
});
