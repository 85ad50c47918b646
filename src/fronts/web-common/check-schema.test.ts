import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { isCountersignError } from '../../core/errors.ts';
import { checkValue, parseJsonBody, schemaMismatch } from './check-schema.ts';

const Body = Type.Object({
  passcode: Type.String({ maxLength: 64 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  remember: Type.Optional(Type.Boolean()),
  method: Type.Optional(Type.Union([Type.Literal('push'), Type.Literal('passcode'), Type.Null()])),
  keys: Type.Optional(Type.Object({ auth: Type.String({ pattern: '^[a-z]+$' }) })),
  version: Type.Optional(Type.Integer({ minimum: 0 })),
});

test('a matching value has no mismatch and comes back typed', () => {
  assert.equal(schemaMismatch(Body, { passcode: '123456', method: null }, 'body'), null);
  assert.deepEqual(checkValue(Body, { passcode: '1', remember: true }, 'body'), {
    passcode: '1',
    remember: true,
  });
});

test('each mismatch names the field and says what it must be, in plain words', () => {
  const cases: Array<[unknown, string]> = [
    [{}, 'passcode is required'],
    [{ passcode: 5 }, 'passcode must be a string of at most 64 characters'],
    [{ passcode: 'x'.repeat(65) }, 'passcode must be a string of at most 64 characters'],
    [{ passcode: '', name: '' }, 'name must be a string of 1 to 60 characters'],
    [{ passcode: '', remember: 'yes' }, 'remember must be true or false'],
    [{ passcode: '', method: 'sms' }, 'method must be one of push, passcode or null'],
    [{ passcode: '', keys: { auth: 'A1' } }, 'keys.auth must be a string in the expected format'],
    [{ passcode: '', keys: 'k' }, 'keys must be an object'],
    [{ passcode: '', version: 1.5 }, 'version must be a whole number'],
    [[], 'the body must be an object'],
    [null, 'the body must be an object'],
  ];
  for (const [value, words] of cases)
    assert.equal(schemaMismatch(Body, value, 'body'), words, JSON.stringify(value));
});

test('query and path fields are named as such', () => {
  const Query = Type.Object({ version: Type.String({ pattern: '^[0-9]+$' }) });
  assert.equal(
    schemaMismatch(Query, { version: 'x' }, 'querystring'),
    'the query parameter version must be a string in the expected format',
  );
  assert.equal(
    schemaMismatch(Type.Object({ txid: Type.String({ maxLength: 4 }) }), { txid: 'too long' }, 'params'),
    'the txid in the path must be a string of at most 4 characters',
  );
});

test('checkValue and parseJsonBody refuse with INVALID_REQUEST, its detail naming the field', () => {
  assert.throws(
    () => checkValue(Body, { passcode: 1 }, 'body'),
    (error: unknown) =>
      isCountersignError(error, 'INVALID_REQUEST') && /^passcode must be/.test(error.detail ?? ''),
  );
  assert.throws(
    () => parseJsonBody(Body, '{"passcode":'),
    (error: unknown) =>
      isCountersignError(error, 'INVALID_REQUEST') && error.detail === 'the body is not JSON',
  );
  assert.deepEqual(parseJsonBody(Type.Object({}), ''), {});
  assert.deepEqual(parseJsonBody(Body, '{"passcode":"1"}'), { passcode: '1' });
});

test('garbage: any JSON value is accepted exactly when it matches, and a refusal names a field of the schema', () => {
  const fields = ['passcode', 'name', 'remember', 'method', 'keys', 'keys.auth', 'version', 'the body'];
  fc.assert(
    fc.property(
      fc.oneof(
        fc.jsonValue(),
        fc.record({
          passcode: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
          name: fc.option(fc.string({ maxLength: 70 }), { nil: undefined }),
          method: fc.constantFrom('push', 'passcode', null, 'sms', 1),
          keys: fc.option(fc.record({ auth: fc.string() }), { nil: undefined }),
          version: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
        }),
      ),
      (value) => {
        const mismatch = schemaMismatch(Body, value, 'body');
        assert.equal(mismatch === null, Value.Check(Body, value));
        if (mismatch !== null)
          assert.ok(
            fields.some((field) => mismatch.startsWith(`${field} `)),
            mismatch,
          );
      },
    ),
  );
});
