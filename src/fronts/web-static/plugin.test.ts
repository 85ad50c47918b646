// The web-static plugin: cache headers a service worker needs, the slash redirect, a clear 503 when not built,
// and POST /activate/status for waiting, used and expired codes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { type CoreHarness, openCoreHarness } from '../../../test/support/core.ts';
import { createActivation } from '../../core/enrollment/create-activation.ts';
import { cacheControlFor } from './cache-policy.ts';
import { webStaticPlugin } from './plugin.ts';

let core: CoreHarness;
let dist: string;
let server: FastifyInstance;

before(async () => {
  core = await openCoreHarness();
  dist = mkdtempSync(join(tmpdir(), 'countersign-dist-'));
  mkdirSync(join(dist, 'authenticator', 'assets'), { recursive: true });
  writeFileSync(join(dist, 'authenticator', 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'authenticator', 'sw.js'), 'self.x = 1;');
  writeFileSync(join(dist, 'authenticator', 'assets', 'index-abc123.js'), 'console.log(1);');
  // activate/ is left unbuilt on purpose.
  server = Fastify();
  await server.register(webStaticPlugin, { deps: core.deps, distDir: dist });
});
after(async () => {
  await server.close();
  await core.close();
  rmSync(dist, { recursive: true, force: true });
});

test('cacheControlFor: hashed assets are immutable, everything else revalidates', () => {
  assert.equal(cacheControlFor('/x/assets/index-abc.js'), 'public, max-age=31536000, immutable');
  assert.equal(cacheControlFor('assets/index-abc.css'), 'public, max-age=31536000, immutable');
  assert.equal(cacheControlFor('/x/sw.js'), 'no-cache');
  assert.equal(cacheControlFor('/x/index.html'), 'no-cache');
  assert.equal(cacheControlFor('/x/manifest.webmanifest'), 'no-cache');
});

test('the app is served at /app/ with service-worker-friendly caching and a strict CSP', async () => {
  const index = await server.inject('/app/');
  assert.equal(index.statusCode, 200);
  assert.equal(index.headers['cache-control'], 'no-cache');
  assert.match(String(index.headers['content-security-policy']), /script-src 'self'/);
  const worker = await server.inject('/app/sw.js');
  assert.equal(worker.statusCode, 200);
  assert.equal(worker.headers['cache-control'], 'no-cache');
  const asset = await server.inject('/app/assets/index-abc123.js');
  assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  const redirect = await server.inject('/app');
  assert.equal(redirect.statusCode, 301);
  assert.equal(redirect.headers.location, '/app/');
  assert.equal((await server.inject('/app/missing.js')).statusCode, 404);
});

test('an unbuilt page answers 503 with what to run', async () => {
  const page = await server.inject('/activate/');
  assert.equal(page.statusCode, 503);
  assert.match(page.body, /npm run build/);
});

test('POST /activate/status: waiting, then success once used, invalid when unknown or expired', async () => {
  const user = await core.user();
  const status = async (code: unknown) => {
    const reply = await server.inject({ method: 'POST', url: '/activate/status', payload: { code } });
    return { code: reply.statusCode, body: reply.json() as { status?: string; error?: string } };
  };
  const { activation, code } = await createActivation(core.deps, 'test', user, { validSeconds: 600 });
  assert.deepEqual(await status(code), { code: 200, body: { status: 'waiting' } });
  assert.deepEqual(await status('A'.repeat(22)), { code: 200, body: { status: 'invalid' } });
  assert.equal((await status(42)).code, 400);
  await core.deps.store.activations.markUsed(activation.id, 'D0000000000000000001', core.clock.now());
  assert.deepEqual(await status(code), { code: 200, body: { status: 'success' } });
  const later = await createActivation(core.deps, 'test', user, { validSeconds: 60 });
  core.clock.advance(61_000);
  assert.deepEqual(await status(later.code), { code: 200, body: { status: 'invalid' } });
});
