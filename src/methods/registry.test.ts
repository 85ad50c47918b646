// The method registry: interactive methods are typed from it, and only methods that start attempts are offered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCountersignError } from '../core/errors.ts';
import { type InteractiveId, interactiveMethod, METHODS, type StartInput } from './registry.ts';

test('issue 15: the methods that start attempts are typed from the registry, and only they', () => {
  const ids: InteractiveId[] = ['push', 'webauthn', 'phone'];
  // @ts-expect-error TOTP has no attempt to start: a typed code goes through submitPasscode
  const typed: InteractiveId = 'totp';
  // @ts-expect-error a push needs to know whether the front can show the verified-push number
  const incomplete: StartInput<'push'> = { device: 'auto', automatic: false };
  assert.deepEqual([typed, incomplete.device], ['totp', 'auto']);
  const interactive = METHODS.filter((method) => 'challenge' in method).map((method) => method.id);
  assert.deepEqual(interactive.sort(), [...ids].sort());
  for (const id of ids) {
    const method = interactiveMethod(id);
    assert.equal(typeof method.verify, 'function', `${id} judges the answers to what it starts`);
  }
  assert.throws(
    () => interactiveMethod('totp' as InteractiveId),
    (error) => isCountersignError(error, 'INVALID_INPUT'),
  );
});
