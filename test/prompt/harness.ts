// Prompt and Universal Prompt test world: a real server on 127.0.0.1 reached as http(s)://localhost:<port>,
// a `universal` client, request JWTs and token exchanges made with our own HS512 code, and the built page.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { type Countersign, openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { type Clock, type ManualClock, manualClock, secureRandom } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { Application, PolicyLayer } from '../../src/core/model.ts';
import { startPromptFlow } from '../../src/core/web/prompt-flow.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { signHs512 } from '../../src/fronts/universal/jwt.ts';
import { PROMPT_COOKIE, setCookie } from '../../src/fronts/web-common/cookies.ts';
import { createHttpServer, type HttpServer } from '../../src/server.ts';
import { ensureWebBuilt } from '../support/web-build.ts';

/** The prompt page, built (see ensureWebBuilt). */
export function buildPromptPage(): void {
  ensureWebBuilt();
}

/** A port free right now on 127.0.0.1 (the public URL must name it before the server starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** A test-only front: starts a local flow that asks for the password first, and shows where it ended. */
const testFront: FastifyPluginAsync<{ deps: CoreDeps }> = async (fastify, { deps }) => {
  fastify.get<{ Querystring: { app: string; user: string } }>('/test-front/start', async (request, reply) => {
    const app = await deps.store.applications.get(request.query.app);
    const user = await deps.store.users.findByName(request.query.user);
    if (!app || !user) return reply.code(404).send();
    const flow = await startPromptFlow(deps, {
      app,
      username: request.query.user,
      user,
      needsPassword: true,
      ip: request.ip,
      finish: { kind: 'local', returnTo: '/test-front/done' },
    });
    setCookie(reply, PROMPT_COOKIE, flow.token, { expiresAt: null });
    return reply.redirect(`/prompt/${flow.flowId}`, 302);
  });
  fastify.get<{ Querystring: { txid?: string; duo_code?: string } }>(
    '/test-front/done',
    async (request, reply) => {
      const tx = request.query.txid ? await deps.store.transactions.get(request.query.txid) : null;
      const body = `<!doctype html><html lang="en"><head><title>Done</title></head><body><main><h1>Result: ${tx?.state ?? 'none'}</h1></main></body></html>`;
      return reply.type('text/html').send(body);
    },
  );
};

export interface PromptWorld<C extends Clock = ManualClock> {
  url: string;
  deps: CoreDeps;
  clock: C;
  countersign: Countersign;
  http: HttpServer;
  /** A `universal` application: client id (ikey) and secret (skey). */
  client: { app: Application; clientId: string; secret: string };
  /** An authorize URL with a request JWT signed by the client (claims may be overridden). */
  authorizeUrl(username: string, options?: { redirectUri?: string; state?: string; claims?: object }): string;
  /** Exchanges a code at /oauth/v1/token the way the SDK does; returns status and JSON body. */
  exchange(code: string, redirectUri?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Decodes (without verifying) an id_token's claims. */
  claims(idToken: string): Record<string, unknown>;
  close(): Promise<void>;
}

/** Starts the world; TLS when `tls` is given (the SDK only speaks https). */
export async function startPromptWorld<C extends Clock = ManualClock>(
  options: {
    clock?: C;
    tls?: { certFile: string; keyFile: string };
    policy?: PolicyLayer;
    /** Configuration overrides by dotted path, e.g. `{ database_url: … }`. */
    config?: Record<string, unknown>;
    /** Where the server logs (default: nowhere), for tests that check what reaches the operator. */
    logger?: Logger;
  } = {},
): Promise<PromptWorld<C>> {
  buildPromptPage();
  // Starts at the real time: cookies' Expires are read by the browser on its own clock.
  const clock = options.clock ?? (manualClock(Date.now()) as Clock as C);
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-prompt-'));
  const port = await freePort();
  const scheme = options.tls ? 'https' : 'http';
  const config = buildConfig(
    undefined,
    {},
    {
      data_dir: dataDir,
      'http.host': '127.0.0.1',
      'http.port': port,
      log_level: 'silent',
      public_url: `${scheme}://localhost:${port}`,
      ...(options.tls && { 'http.tls_cert': options.tls.certFile, 'http.tls_key': options.tls.keyFile }),
      ...options.config,
    },
  );
  const countersign = await openCountersign(config, {
    clock,
    ring: newKeyRing(secureRandom),
    ...(options.logger && { logger: options.logger }),
  });
  const http = createHttpServer(countersign, options.logger ? {} : { logger: false });
  http.fastify.register(testFront, { deps: countersign.deps });
  const url = await http.listen();
  const { deps } = countersign;
  const { app, skey } = await createApplication(deps, 'test', {
    name: 'Example Web App',
    type: 'universal',
    ...(options.policy && { policy: options.policy }),
  });
  const client = { app, clientId: app.ikey, secret: skey };
  const assertion = (aud: string) =>
    signHs512(
      {
        iss: app.ikey,
        sub: app.ikey,
        aud,
        jti: deps.random.bytes(18).toString('hex'),
        iat: Math.round(clock.now() / 1000),
        exp: Math.round(clock.now() / 1000) + 300,
      },
      skey,
    );
  const defaultRedirect = `${url}/test-front/done`;
  return {
    url,
    deps,
    clock,
    countersign,
    http,
    client,
    authorizeUrl(username, authorize = {}) {
      const request = signHs512(
        {
          response_type: 'code',
          scope: 'openid',
          exp: Math.round(clock.now() / 1000) + 300,
          client_id: app.ikey,
          redirect_uri: authorize.redirectUri ?? defaultRedirect,
          state: authorize.state ?? deps.random.bytes(18).toString('hex'),
          duo_uname: username,
          iss: app.ikey,
          aud: url,
          use_duo_code_attribute: true,
          ...authorize.claims,
        },
        skey,
      );
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: app.ikey,
        request,
        scope: 'openid',
      });
      return `${url}/oauth/v1/authorize?${query}`;
    },
    async exchange(code, redirectUri = defaultRedirect) {
      const response = await fetch(`${url}/oauth/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: app.ikey,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion(`${url}/oauth/v1/token`),
        }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    claims: (idToken) => JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')),
    async close() {
      try {
        await http.close();
        await countersign.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
