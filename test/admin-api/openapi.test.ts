// /admin/openapi.json against the server's routes: the same set both ways, every schema valid JSON Schema 2020-12.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { manualClock, secureRandom } from '../../src/core/clock.ts';
import { ADMIN_PERMISSIONS } from '../../src/core/model.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { createHttpServer, type HttpServer } from '../../src/server.ts';
import { type OpenApiDocument, openApiChecker } from './openapi-check.ts';

let dataDir: string;
let http: HttpServer;
let close: () => Promise<void>;
/** `METHOD url` of every route the server registered under /admin (HEAD twins of GETs left out). */
const registered = new Set<string>();
let document: OpenApiDocument;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'countersign-openapi-'));
  const config = buildConfig(undefined, {}, { data_dir: dataDir, log_level: 'silent' });
  const countersign = await openCountersign(config, {
    clock: manualClock(Date.UTC(2026, 0, 1)),
    ring: newKeyRing(secureRandom),
  });
  http = createHttpServer(countersign, { logger: false });
  // Plugins load at ready(): a hook added now sees every route they register.
  http.fastify.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/admin')) return;
    // The console's page, sign-in and its mount of this same route table are another front (test/console).
    if (route.url === '/admin' || route.url === '/admin/' || route.url.startsWith('/admin/console/')) return;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') registered.add(`${method} ${route.url}`);
    }
  });
  await http.fastify.ready();
  close = async () => {
    await http.close();
    await countersign.close();
  };
  const served = await http.fastify.inject({ method: 'GET', url: '/admin/openapi.json' });
  assert.equal(served.statusCode, 200);
  assert.match(String(served.headers['content-type']), /^application\/json/);
  document = served.json() as OpenApiDocument;
});
after(async () => {
  await close?.();
  await rm(dataDir, { recursive: true, force: true });
});

/** `METHOD /admin/v1/users/:user_id` for each operation of the document, as Fastify writes the route. */
function documented(): Set<string> {
  return new Set(
    Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.keys(methods).map(
        (method) => `${method.toUpperCase()} ${template.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    ),
  );
}

test('issue 12: every route under /admin is in the OpenAPI document, and every operation is a route', () => {
  assert.equal(document.openapi, '3.1.0');
  const inDocument = documented();
  assert.ok(inDocument.size > 40, `${inDocument.size} operations`);
  assert.deepEqual(
    [...registered].filter((route) => !inDocument.has(route)).sort(),
    [],
    'routes not documented',
  );
  assert.deepEqual(
    [...inDocument].filter((route) => !registered.has(route)).sort(),
    [],
    'operations with no route',
  );
});

test('issue 12: every schema in the document compiles as JSON Schema 2020-12 (strict)', () => {
  const compiled = openApiChecker(document).compileAll();
  assert.ok(compiled > 100, `${compiled} schemas`);
});

test("issue 12: each operation names its grant, its path's parameters, and a body for POST", () => {
  const ids = new Set<string>();
  for (const [template, methods] of Object.entries(document.paths)) {
    const inPath = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    for (const [method, raw] of Object.entries(methods)) {
      const operation = raw as unknown as Record<string, unknown> & {
        operationId: string;
        parameters: Array<{ name: string; in: string; required: boolean }>;
      };
      const where = `${method.toUpperCase()} ${template}`;
      assert.ok(!ids.has(operation.operationId), `${where}: operationId ${operation.operationId} is unique`);
      ids.add(operation.operationId);
      assert.deepEqual(
        operation.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        inPath,
        `${where}: path parameters`,
      );
      assert.ok(
        operation.parameters.every((p) => p.in !== 'path' || p.required),
        `${where}: path parameters are required`,
      );
      if (template === '/admin/openapi.json') continue;
      assert.ok(
        (ADMIN_PERMISSIONS as readonly string[]).includes(String(operation['x-countersign-grant'])),
        `${where}: grant`,
      );
      assert.equal('requestBody' in operation, method === 'post', `${where}: a body exactly when POST`);
    }
  }
});
