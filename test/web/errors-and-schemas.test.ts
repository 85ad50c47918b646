// Issue 15.4 and 15.5 across the whole HTTP server: every route is registered with a TypeBox schema, and every JSON
// front answers failures in the registry's shape (docs/errors.md) — malformed bodies, unknown paths, crashes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deserialize } from 'bson';
import type { RouteOptions } from 'fastify';
import { openApiDocument } from '../../src/fronts/web-common/openapi.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const METRICS_TOKEN = 'm'.repeat(32);
const routes: RouteOptions[] = [];
let server: TestServer;

before(async () => {
  server = await startTestServer({
    config: { 'metrics.token': METRICS_TOKEN },
    onRoute: (route) => routes.push(route),
  });
});
after(() => server?.close());

/** The routes @fastify/static registers for the built apps: files, not an API (no input but the file's path). */
const STATIC_PREFIXES = ['/app/', '/activate/', '/portal/assets/', '/admin/console/assets/'];

function methods(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

/** A concrete URL for a route pattern: every parameter filled in. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, 'X0000000000000000000').replace(/\*$/, 'file.txt');
}

/** A response's text, and its body: BSON for REST v1 (what duo_unix 1.x reads), else JSON; null when neither. */
async function readBody(response: Response): Promise<{ text: string; body: unknown }> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (response.headers.get('content-type')?.startsWith('application/bson')) {
    return { text, body: deserialize(bytes) };
  }
  try {
    return { text, body: JSON.parse(text) };
  } catch {
    return { text, body: null };
  }
}

/** True for an error body in one of the shapes the fronts answer with (ours, Duo's envelope, OAuth's, REST v1's). */
function knownErrorShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const fields = body as Record<string, unknown>;
  if (fields.stat === 'FAIL') return typeof fields.code === 'number';
  // REST v1 answers every failure but a refused signature as a denial duo_unix shows (src/fronts/rest-v1/denial.ts).
  if (fields.stat === 'OK')
    return (fields.response as Record<string, unknown> | undefined)?.result === 'deny';
  if (typeof fields.error_description === 'string') return /^[a-z_]+$/.test(String(fields.error));
  return (
    /^[A-Z]+(_[A-Z]+)*$/.test(String(fields.error)) &&
    typeof fields.message === 'string' &&
    Object.keys(fields).length === 2
  );
}

test('issue 15: every route of the HTTP server is registered with schemas that TypeBox checks', () => {
  assert.ok(routes.length > 40, `${routes.length} routes seen`);
  const unchecked = routes
    .filter((route) => !STATIC_PREFIXES.some((prefix) => route.url.startsWith(prefix)))
    .filter((route) => route.validatorCompiler?.name !== 'typeboxValidatorCompiler' || !route.schema)
    .map((route) => `${methods(route).join(',')} ${route.url}`);
  assert.deepEqual(unchecked, []);
  // Every path parameter and every POST/PUT body is described (addRoute refuses anything less at start-up).
  for (const route of routes.filter((r) => r.validatorCompiler?.name === 'typeboxValidatorCompiler')) {
    const schema = route.schema as { params?: { properties: object }; body?: object };
    if (route.url.includes(':')) assert.ok(schema.params, route.url);
    if (methods(route).some((method) => method === 'POST' || method === 'PUT'))
      assert.ok(schema.body, route.url);
  }
});

test('the same route schemas make an OpenAPI document (what the Admin API will publish)', () => {
  const document = JSON.parse(
    JSON.stringify(openApiDocument(routes, { title: 'Device API', version: '1', prefix: '/device/v1' })),
  );
  const answer = document.paths['/device/v1/requests/{txid}/answer'].post;
  assert.deepEqual(
    answer.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    ['path:txid'],
  );
  const body = answer.requestBody.content['application/json'].schema;
  assert.deepEqual(
    body.properties.decision.anyOf.map((option: { const: string }) => option.const),
    ['approve', 'deny', 'fraud'],
  );
  assert.equal(body['x-checked-by-handler'], true);
  assert.deepEqual(
    document.paths['/device/v1/events'].get.parameters.map((p: { name: string; required: boolean }) => [
      p.name,
      p.required,
    ]),
    [['ticket', false]],
  );
  assert.ok(!('/auth/v2/check' in document.paths), 'only the prefix asked for');
  assert.ok(!('/device/v1/{*}' in document.paths), 'hidden routes are left out');
});

/** Routes of pages for browsers (the SSO sign-in pages, the SAML endpoints): their errors are pages too, never JSON. */
const PAGE_PREFIXES = ['/oidc/interaction/', '/saml/'];

/** True for our refusal page: HTML with a 4xx status that says the request was refused. */
function refusalPage(response: Response, text: string): boolean {
  return (
    response.status >= 400 &&
    response.status < 500 &&
    /^text\/html/.test(response.headers.get('content-type') ?? '') &&
    /<h1>[^<]*(refused|not valid)[^<]*<\/h1>/.test(text)
  );
}

test('issue 15: every POST and PUT route answers a body that is not JSON in its front error shape, never a 5xx', async () => {
  const posts = routes.filter((route) =>
    methods(route).some((method) => method === 'POST' || method === 'PUT'),
  );
  assert.ok(posts.length > 25, `${posts.length} POST/PUT routes`);
  const wrong: string[] = [];
  for (const route of posts) {
    const method = methods(route).find((m) => m === 'POST' || m === 'PUT')!;
    const response = await fetch(`${server.url}${concrete(route.url)}`, {
      method,
      headers: { 'content-type': 'application/json', origin: server.url },
      body: '{"not json',
    });
    const { text, body } = await readBody(response);
    if (PAGE_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      if (!refusalPage(response, text)) wrong.push(`${method} ${route.url}: ${response.status} ${text}`);
      continue;
    }
    if (response.status >= 500 || !knownErrorShape(body))
      wrong.push(`${method} ${route.url}: ${response.status} ${text}`);
  }
  assert.deepEqual(wrong, []);
});

test('issue 15: unknown paths under the JSON APIs, and elsewhere, answer ROUTE_NOT_FOUND', async () => {
  for (const path of ['/portal/api/nope', '/device/v1/nope', '/prompt/api/nope/x', '/nope', '/oidc/nope']) {
    const response = await fetch(`${server.url}${path}`);
    assert.equal(response.status, 404, path);
    assert.deepEqual(
      await response.json(),
      { error: 'ROUTE_NOT_FOUND', message: 'There is nothing at this address.' },
      path,
    );
  }
});

test('issue 15: a prompt body field of the wrong type is refused naming the field, before any flow is looked up', async () => {
  const response = await fetch(`${server.url}/prompt/api/flows/F0000000000000000000/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    // Before, a device that was not text was quietly taken as "auto": a push to every device.
    body: JSON.stringify({ device: 5 }),
  });
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), {
    error: 'INVALID_REQUEST',
    message: 'The request is not valid: device must be a string of 1 to 64 characters.',
  });
});

test('issue 15: a cross-origin portal request is refused as CSRF (403), as the prompt refuses it', async () => {
  const response = await fetch(`${server.url}/portal/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    body: JSON.stringify({ username: 'alice', password: 'x' }),
  });
  assert.equal(response.status, 403);
  assert.deepEqual(await response.json(), {
    error: 'CSRF',
    message: 'This page is out of date. Reload it and try again.',
  });
});

test('issue 15: a failure nobody planned for answers INTERNAL, never its own message (last: closes the store)', async () => {
  await server.countersign.deps.store.close();
  const response = await fetch(`${server.url}/activate/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'ABCDEFGH' }),
  });
  assert.ok(response.status >= 500, String(response.status));
  const body = (await response.json()) as Record<string, unknown>;
  assert.ok(['INTERNAL', 'STORE_UNAVAILABLE'].includes(String(body.error)), JSON.stringify(body));
  assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
});
