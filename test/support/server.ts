// Starts a real Countersign HTTP server for integration tests: temp data dir, fresh key ring, manual clock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteOptions } from 'fastify';
import { type Countersign, openCountersign } from '../../src/app.ts';
import { buildConfig } from '../../src/config.ts';
import { addTotp } from '../../src/core/admin/add-totp.ts';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { createUser, type NewUser } from '../../src/core/admin/create-user.ts';
import { type BypassOptions, issueBypassCodes } from '../../src/core/admin/issue-bypass-codes.ts';
import { type Clock, type ManualClock, manualClock, secureRandom } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { AdminPermission, Application, Authenticator, PolicyLayer, User } from '../../src/core/model.ts';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import { createHttpServer, type HttpServer } from '../../src/server.ts';

/** Where test clocks start: a fixed instant, so time-based results repeat. */
export const TEST_START_MS = Date.UTC(2026, 2, 2, 9, 30, 0);

/** The admin actor the audit log records for test set-up. */
const ACTOR = 'test';

export interface TestServer<C extends Clock = ManualClock> {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The port the server listens on. */
  port: number;
  deps: CoreDeps;
  countersign: Countersign;
  http: HttpServer;
  /** The clock the server runs on (the manual one unless the caller passed another). */
  clock: C;
  close(): Promise<void>;
}

export interface TestServerOptions<C extends Clock> {
  clock?: C;
  /** Configuration overrides by dotted path, e.g. `{ 'auth_api.logo_file': '/tmp/logo.png' }`. */
  config?: Record<string, unknown>;
  /** Sees every route as the fronts register it (Fastify's onRoute hook). */
  onRoute?: (route: RouteOptions) => void;
}

/** Opens Countersign on a temp SQLite dir (or `config.database_url`) and listens on 127.0.0.1, port 0. */
export async function startTestServer<C extends Clock = ManualClock>(
  options: TestServerOptions<C> = {},
): Promise<TestServer<C>> {
  const clock = options.clock ?? (manualClock(TEST_START_MS) as Clock as C);
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-test-'));
  let countersign: Countersign | undefined;
  try {
    // An empty environment: COUNTERSIGN_* variables of the shell must not leak into tests.
    const config = buildConfig(
      undefined,
      {},
      {
        data_dir: dataDir,
        'http.host': '127.0.0.1',
        'http.port': 0,
        log_level: 'silent',
        ...options.config,
      },
    );
    countersign = await openCountersign(config, { clock, ring: newKeyRing(secureRandom) });
    const http = createHttpServer(countersign, { logger: false });
    if (options.onRoute) http.fastify.addHook('onRoute', options.onRoute);
    const url = await http.listen();
    const opened = countersign;
    return {
      url,
      port: Number(new URL(url).port),
      deps: opened.deps,
      countersign: opened,
      http,
      clock,
      async close() {
        try {
          await http.close();
          await opened.close();
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await countersign?.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Creates an Auth API application; returns it with its ikey and skey. */
export async function createTestApp(
  deps: CoreDeps,
  options: { name?: string; policy?: PolicyLayer } = {},
): Promise<{ app: Application; ikey: string; skey: string }> {
  const { app, skey } = await createApplication(deps, ACTOR, {
    name: options.name ?? `app-${deps.random.uuid()}`,
    type: 'auth-api',
    ...(options.policy !== undefined && { policy: options.policy }),
  });
  return { app, ikey: app.ikey, skey };
}

/** Creates an Admin API integration with `permissions` (default: the default grants); returns its keys. */
export async function createTestAdminApp(
  deps: CoreDeps,
  permissions?: readonly AdminPermission[],
): Promise<{ app: Application; ikey: string; skey: string }> {
  const { app, skey } = await createApplication(deps, ACTOR, {
    name: `admin-${deps.random.uuid()}`,
    type: 'admin-api',
    ...(permissions !== undefined && { permissions }),
  });
  return { app, ikey: app.ikey, skey };
}

/** Creates a user (active unless `input.status` says otherwise). */
export function createTestUser(
  deps: CoreDeps,
  username: string,
  input: Partial<NewUser> = {},
): Promise<User> {
  return createUser(deps, ACTOR, { ...input, username });
}

export interface TestTotp {
  authenticator: Authenticator;
  /** The seed, decoded from the otpauth URI's `secret`. */
  secret: Uint8Array;
  /** The 6-digit code valid at `nowMs`. */
  codeAt(nowMs: number): string;
}

/** Enrolls a SHA-1, 6-digit, 30-second TOTP authenticator and hands back its seed. */
export async function addTestTotp(deps: CoreDeps, user: User): Promise<TestTotp> {
  const { authenticator, uri } = await addTotp(deps, ACTOR, user, { issuer: 'Countersign test' });
  const encoded = new URL(uri).searchParams.get('secret');
  if (encoded === null) throw new Error(`otpauth URI has no secret: ${uri}`);
  const secret = decodeBase32(encoded);
  return {
    authenticator,
    secret,
    codeAt: (nowMs) => generateTotp(secret, nowMs, { algorithm: 'sha1', digits: 6, period: 30 }),
  };
}

/** Issues bypass codes (default: one code, one use, one hour). */
export async function issueTestBypassCodes(
  deps: CoreDeps,
  user: User,
  options: BypassOptions = {},
): Promise<string[]> {
  return (await issueBypassCodes(deps, ACTOR, user, options)).codes;
}
