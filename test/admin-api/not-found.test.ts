// Calls under /admin answer in Duo's envelope, never the web framework's default body (issue 12's report).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server?.close());

test("issue 12: an unsigned call to Duo's Admin API is Duo's 401, an unknown path Duo's 404", async () => {
  const unsigned = await server.http.fastify.inject({ method: 'GET', url: '/admin/v1/users?limit=10' });
  assert.equal(unsigned.statusCode, 401, unsigned.body);
  assert.equal(unsigned.json().stat, 'FAIL');
  assert.equal(unsigned.json().code, 40101);
  for (const url of ['/admin/v1/no_such_resource', '/admin/v9/users', '/admin']) {
    const unknown = await server.http.fastify.inject({ method: 'POST', url });
    assert.equal(unknown.statusCode, 404, `${url}: ${unknown.body}`);
    assert.deepEqual(unknown.json(), { stat: 'FAIL', code: 40401, message: 'Resource not found' }, url);
  }
});
