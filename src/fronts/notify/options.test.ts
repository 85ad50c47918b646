import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressOf, NotifyOptionsError, resolveNotifyOptions } from './options.ts';

test('defaults: no http endpoints, 5 s timeout, no administrators, log instead of outbox', () => {
  const options = resolveNotifyOptions();
  assert.equal(options.allowHttpEndpoints, false);
  assert.equal(options.pushTimeoutMs, 5_000);
  assert.deepEqual(options.adminEmails, []);
  assert.equal(options.outboxDir, null);
  assert.match(options.vapidSubject, /^mailto:/);
});

test('bad values name the option', () => {
  assert.throws(() => resolveNotifyOptions({ vapidSubject: 'http://example.org' }), {
    name: NotifyOptionsError.name,
    message: /push\.vapid_subject/,
  });
  assert.throws(() => resolveNotifyOptions({ adminEmails: ['ok@example.org', 'nope'] }), {
    message: /alerts\.admin_emails\[1\].*'nope'/,
  });
  assert.throws(() => resolveNotifyOptions({ pushTimeoutMs: 5 }), { message: /push\.timeout_ms/ });
  assert.throws(() => resolveNotifyOptions({ mailFrom: 'Countersign' }), { message: /mail\.from/ });
});

test('addressOf reads the address inside angle brackets', () => {
  assert.equal(addressOf('Countersign <mfa@example.org>'), 'mfa@example.org');
  assert.equal(addressOf(' mfa@example.org '), 'mfa@example.org');
});
