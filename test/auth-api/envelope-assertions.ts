// Assertions on Duo envelopes as they arrive over HTTP: JSON always, FAIL with the right status and code.
import assert from 'node:assert/strict';
import { AuthApiError } from '../../src/client/auth-api-client.ts';
import type { HttpResponse } from '../../src/client/transport.ts';

export interface FailBody {
  stat: 'FAIL';
  code: number;
  message: string;
  message_detail?: string;
}

/** Asserts an `application/json` FAIL envelope with `status` and `code`; returns the parsed body. */
export function assertFail(response: HttpResponse, status: number, code: number): FailBody {
  assert.match(String(response.headers['content-type']), /^application\/json/);
  const body = JSON.parse(response.body.toString('utf8')) as FailBody;
  assert.equal(body.stat, 'FAIL', `expected stat FAIL, got ${response.body.toString('utf8')}`);
  assert.equal(response.status, status, `HTTP status of ${response.body.toString('utf8')}`);
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0, 'the failure has a message');
  return body;
}

/** Asserts a 200 `application/json` OK envelope; returns its `response`. */
export function assertOk(response: HttpResponse): unknown {
  assert.match(String(response.headers['content-type']), /^application\/json/);
  const body = JSON.parse(response.body.toString('utf8')) as { stat: string; response: unknown };
  assert.equal(body.stat, 'OK', `expected stat OK, got ${response.body.toString('utf8')}`);
  assert.equal(response.status, 200);
  return body.response;
}

/** Awaits `promise` expecting an AuthApiError with `status` and `code`; returns it. */
export async function rejectsWith(
  promise: Promise<unknown>,
  status: number,
  code: number,
): Promise<AuthApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AuthApiError, `expected AuthApiError, got ${String(error)}`);
    assert.equal(error.httpStatus, status);
    assert.equal(error.code, code);
    return error;
  }
  return assert.fail(`expected an AuthApiError ${status}/${code}, but the call succeeded`);
}

/**
 * An allowed login's answer under a policy that remembers devices (the default) carries a `trusted_device_token`
 * (docs/auth-api.md §6): asserts it is one (256 bits, base64url) and returns the answer without it.
 */
export function withTrustedDevice(response: unknown): Record<string, unknown> {
  const { trusted_device_token: token, ...rest } = response as Record<string, unknown>;
  assert.match(String(token), /^[A-Za-z0-9_-]{43}$/, 'an allowed login carries a trusted_device_token');
  return rest;
}
