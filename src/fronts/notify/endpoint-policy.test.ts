import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refuseEndpoint } from './endpoint-policy.ts';

test('https endpoints are accepted', () => {
  assert.equal(refuseEndpoint('https://fcm.googleapis.com/fcm/send/abc', false), null);
});

test('plain http is refused unless tests allow 127.0.0.1', () => {
  assert.match(refuseEndpoint('http://127.0.0.1:9000/push/1', false) ?? '', /must use https/);
  assert.equal(refuseEndpoint('http://127.0.0.1:9000/push/1', true), null);
  assert.match(refuseEndpoint('http://push.example.org/push/1', true) ?? '', /must use https/);
  assert.match(refuseEndpoint('http://localhost:9000/push/1', true) ?? '', /127\.0\.0\.1/);
});

test('other schemes, garbage and embedded credentials are refused', () => {
  assert.match(refuseEndpoint('ftp://example.org/x', true) ?? '', /https/);
  assert.match(refuseEndpoint('not a url', false) ?? '', /not a URL/);
  assert.match(refuseEndpoint('https://user:pw@example.org/x', false) ?? '', /credentials/);
});

test('https endpoints inside the network are refused (a device must not aim the server at internal hosts)', () => {
  for (const endpoint of [
    'https://127.0.0.1/push',
    'https://10.1.2.3/x',
    'https://192.168.0.10/x',
    'https://172.20.0.1/x',
    'https://169.254.169.254/latest',
    'https://[::1]/x',
    'https://[fd00::1]/x',
    'https://localhost/x',
    'https://intranet/x',
    'https://db.internal/x',
  ]) {
    assert.match(refuseEndpoint(endpoint, false) ?? '', /internal/, endpoint);
  }
  assert.equal(refuseEndpoint('https://fcm.googleapis.com/fcm/send/abc', false), null);
  assert.equal(refuseEndpoint('https://updates.push.services.mozilla.com/wpush/v2/x', false), null);
});
