// moveTransaction, the one place a state changes: finished stays finished, compare-and-set, allows carry their proof.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CoreHarness, openCoreHarness } from '../../../test/support/core.ts';
import { isCountersignError } from '../errors.ts';
import { beginTransaction } from './begin-transaction.ts';
import { type Move, moveTransaction } from './move-transaction.ts';
import { submitPasscode } from './submit-passcode.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

async function waiting() {
  const app = await h.app();
  const user = await h.user();
  const { authenticator, seed } = await h.totp(user);
  const { tx } = await beginTransaction(h.deps, { app, user, ip: '203.0.113.9', factor: null });
  assert.equal(tx.state, 'awaiting_factor');
  return { app, user, tx, authenticator, code: () => h.totpCode(authenticator, seed) };
}

test('a finished transaction cannot be moved again (TRANSACTION_FINISHED)', async () => {
  const { tx, code, user } = await waiting();
  const done = await submitPasscode(h.deps, tx.id, code());
  assert.equal(done.state, 'allow');
  await assert.rejects(submitPasscode(h.deps, tx.id, code()), (error) =>
    isCountersignError(error, 'TRANSACTION_FINISHED'),
  );
  await assert.rejects(
    h.deps.store.atomically((repos) =>
      moveTransaction(repos, h.deps, done, user, { to: 'deny', reason: 'denied' }),
    ),
    (error) => isCountersignError(error, 'TRANSACTION_FINISHED'),
  );
  assert.equal((await h.deps.store.transactions.get(tx.id))?.state, 'allow');
});

test('a move from a stale version loses (compare-and-set): only one of two deciders wins', async () => {
  const { tx, user } = await waiting();
  await h.deps.store.atomically((repos) =>
    moveTransaction(repos, h.deps, tx, user, { to: 'pushed', reason: 'pushed' }),
  );
  await assert.rejects(
    h.deps.store.atomically((repos) =>
      moveTransaction(repos, h.deps, tx, user, { to: 'deny', reason: 'invalid_passcode' }),
    ),
    (error) => isCountersignError(error, 'TRANSACTION_FINISHED'),
  );
  assert.equal((await h.deps.store.transactions.get(tx.id))?.state, 'pushed');
});

test('issue 15: a move to allow needs its proof in the type, and records it on the row', async () => {
  // Checked by tsc (npm run typecheck): each line below must fail to compile, or the directive itself fails.
  const refused = () => {
    // @ts-expect-error an allow without a proof (a factor and authenticator, or a named policy reason)
    const bare: Move = { to: 'allow', reason: 'user_approved' };
    // @ts-expect-error a policy proof names one of the policy's reasons, not any string
    const unnamed: Move = { to: 'allow', proof: { policy: 'because' } };
    // @ts-expect-error a factor proof says which authenticator proved it
    const anonymous: Move = { to: 'allow', proof: { factor: 'push', reason: 'user_approved' } };
    return [bare, unnamed, anonymous];
  };
  assert.equal(refused().length, 3);

  const { tx, user, authenticator } = await waiting();
  const proved: Move = {
    to: 'allow',
    proof: { factor: 'passcode', authenticatorId: authenticator.id, reason: 'valid_passcode' },
  };
  const allowed = await h.deps.store.atomically((repos) => moveTransaction(repos, h.deps, tx, user, proved));
  assert.deepEqual(
    [allowed.state, allowed.factor, allowed.deviceId, allowed.reason],
    ['allow', 'passcode', authenticator.id, 'valid_passcode'],
  );
  const second = await waiting();
  const byPolicy = await h.deps.store.atomically((repos) =>
    moveTransaction(repos, h.deps, second.tx, second.user, {
      to: 'allow',
      proof: { policy: 'remembered' },
      factor: 'remembered',
    }),
  );
  assert.deepEqual(
    [byPolicy.state, byPolicy.factor, byPolicy.deviceId, byPolicy.reason],
    ['allow', 'remembered', null, 'remembered'],
  );
});
