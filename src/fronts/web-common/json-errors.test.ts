import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { CountersignError } from '../../core/errors.ts';
import { addRoute } from './add-route.ts';
import { installJsonErrors } from './json-errors.ts';

/** A front with one error answer, a route per way of failing, and its log lines collected. */
async function front() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const fastify = Fastify({ logger: { level: 'info', stream } });
  await fastify.register(
    async (api) => {
      installJsonErrors(api, { notFound: true });
      const fail = (url: string, error: unknown) =>
        addRoute(api, {
          method: 'GET',
          url,
          schema: {},
          handler: async () => {
            throw error;
          },
        });
      fail(
        '/invalid',
        new CountersignError('INVALID_INPUT', 'id: authenticator D0000000000000000001 exists'),
      );
      fail('/limited', new CountersignError('RATE_LIMITED', 'user alice', { retryAfterMs: 1500 }));
      fail('/crash', new Error('connect ECONNREFUSED postgres://admin:hunter2@db'));
      fail('/username', new CountersignError('INVALID_USERNAME', 'it is empty'));
      fail(
        '/range',
        Object.assign(new Error('Range Not Satisfiable: /srv/secret/file'), { statusCode: 416 }),
      );
      addRoute(api, {
        method: 'POST',
        url: '/things/:id',
        schema: {
          params: Type.Object({ id: Type.String({ maxLength: 4 }) }),
          body: Type.Object({ count: Type.Integer({ minimum: 1 }) }),
        },
        handler: async (request) => ({ id: request.params.id, count: request.body.count }),
      });
    },
    { prefix: '/api' },
  );
  return { fastify, lines };
}

test('a core error answers its kind and the registry message; the detail is only in the log', async () => {
  const { fastify, lines } = await front();
  const answer = await fastify.inject({ method: 'GET', url: '/api/invalid' });
  assert.equal(answer.statusCode, 400);
  assert.deepEqual(answer.json(), { error: 'INVALID_INPUT', message: 'The request is not valid.' });
  assert.ok(!answer.body.includes('D0000000000000000001'));
  assert.ok(lines.some((line) => line.code === 'INVALID_INPUT' && String(line.detail).includes('D00000')));
});

test('a limited error carries Retry-After in whole seconds', async () => {
  const { fastify } = await front();
  const answer = await fastify.inject({ method: 'GET', url: '/api/limited' });
  assert.equal(answer.statusCode, 429);
  assert.equal(answer.headers['retry-after'], '2');
  assert.equal(answer.json().error, 'RATE_LIMITED');
});

test('anything else is INTERNAL: its message stays in the log', async () => {
  const { fastify, lines } = await front();
  const answer = await fastify.inject({ method: 'GET', url: '/api/crash' });
  assert.equal(answer.statusCode, 500);
  assert.equal(answer.json().error, 'INTERNAL');
  assert.ok(!answer.body.includes('hunter2'));
  assert.ok(lines.some((line) => line.level === 50 && JSON.stringify(line).includes('ECONNREFUSED')));
});

test("a plugin's refusal keeps its 4xx status but not its words", async () => {
  const { fastify, lines } = await front();
  const answer = await fastify.inject({ method: 'GET', url: '/api/range' });
  assert.equal(answer.statusCode, 416);
  assert.deepEqual(answer.json(), { error: 'INVALID_REQUEST', message: 'The request is not valid.' });
  assert.ok(lines.some((line) => String(line.cause).includes('/srv/secret')));
});

test('a code whose detail is written for the caller shows it', async () => {
  const { fastify } = await front();
  const answer = await fastify.inject({ method: 'GET', url: '/api/username' });
  assert.deepEqual(answer.json(), {
    error: 'INVALID_USERNAME',
    message: 'That username is not valid: it is empty.',
  });
});

test('schema mismatches, bodies that are not JSON and unknown paths answer in the same shape', async () => {
  const { fastify } = await front();
  const post = (url: string, payload: string, type = 'application/json') =>
    fastify.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
  const ok = await post('/api/things/ab', '{"count":2}');
  assert.deepEqual(ok.json(), { id: 'ab', count: 2 });
  assert.deepEqual((await post('/api/things/ab', '{"count":"2"}')).json(), {
    error: 'INVALID_REQUEST',
    message: 'The request is not valid: count must be a whole number.',
  });
  assert.deepEqual((await post('/api/things/abcde', '{"count":2}')).json(), {
    error: 'INVALID_REQUEST',
    message: 'The request is not valid: the id in the path must be a string of at most 4 characters.',
  });
  assert.deepEqual((await post('/api/things/ab', '')).json().error, 'INVALID_REQUEST');
  const notJson = await post('/api/things/ab', '{"count":');
  assert.equal(notJson.statusCode, 400);
  assert.equal(notJson.json().error, 'INVALID_REQUEST');
  const wrongType = await post('/api/things/ab', 'count=2', 'text/csv');
  assert.equal(wrongType.statusCode, 415);
  assert.equal(wrongType.json().error, 'INVALID_REQUEST');
  const unknown = await fastify.inject({ method: 'GET', url: '/api/nowhere' });
  assert.equal(unknown.statusCode, 404);
  assert.deepEqual(unknown.json(), {
    error: 'ROUTE_NOT_FOUND',
    message: 'There is nothing at this address.',
  });
});

test('addRoute refuses, at start-up, a schema that leaves a path parameter or a body undescribed', () => {
  const fastify = Fastify();
  const handler = async () => null;
  assert.throws(
    () => addRoute(fastify, { method: 'GET', url: '/a/:id', schema: {}, handler }),
    /schema.params must describe exactly \[id\]/,
  );
  assert.throws(
    () =>
      addRoute(fastify, {
        method: 'GET',
        url: '/a/:id',
        schema: { params: Type.Object({ other: Type.String() }) },
        handler,
      }),
    /exactly \[id\]/,
  );
  assert.throws(
    () => addRoute(fastify, { method: 'POST', url: '/a', schema: {}, handler }),
    /body is required/,
  );
  assert.throws(
    () => addRoute(fastify, { method: 'GET', url: '/a', schema: { body: Type.Object({}) }, handler }),
    /only for POST, PUT and PATCH/,
  );
});
