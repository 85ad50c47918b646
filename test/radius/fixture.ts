// A Countersign with its RADIUS front on 127.0.0.1 for radclient tests: one client entry, users, TOTP, push devices.
import { setTimeout as sleep } from 'node:timers/promises';
import { createApplication } from '../../src/core/admin/create-application.ts';
import { type RadiusClientConfig, saveRadiusClient } from '../../src/core/admin/radius-clients.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import type { Application, AuditEntry, User } from '../../src/core/model.ts';
import type { Decision, PendingRequest } from '../../src/device-protocol/messages.ts';
import {
  answerSigningString,
  type DeviceKey,
  deviceAuthorization,
  exportPublicKey,
  generateDeviceKeyPair,
  signText,
} from '../../src/device-protocol/signing.ts';
import type { RadiusLogger } from '../../src/fronts/radius/pipeline.ts';
import { type RunningRadius, startRadius } from '../../src/fronts/radius/start-radius.ts';
import {
  addTestTotp,
  createTestUser,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { type RadclientOptions, type RadclientResult, runRadclient } from './radclient.ts';

export const SECRET = 'radius-test-secret';
export const PASSWORD = 'correct horse';
export const MA = 'Message-Authenticator = 0x00';

const silent = { debug() {}, warn() {}, error() {} };

/** A simulated Countersign Authenticator: the device id and its private signing key. */
export interface SimulatedDevice {
  deviceId: string;
  privateKey: DeviceKey;
}

export interface RadiusHarness {
  server: TestServer;
  radius: RunningRadius;
  app: Application;
  /** Stores the 127.0.0.1 client with these settings (mode etc.) and reloads the live table. */
  configureClient(settings: Partial<RadiusClientConfig>): Promise<void>;
  user(
    name: string,
    options?: { groups?: string[]; password?: string | null; status?: User['status'] },
  ): Promise<User>;
  totp(user: User): Promise<TestTotp>;
  device(user: User): Promise<SimulatedDevice>;
  /** The device's pending requests right now, through the device HTTP API. */
  pendingPushes(device: SimulatedDevice): Promise<PendingRequest[]>;
  /** Answers one pending request through the device HTTP API. */
  answerPush(device: SimulatedDevice, request: PendingRequest, decision?: Decision): Promise<void>;
  /** Waits for the device's next pending request and answers it through the device HTTP API. */
  answerNextPush(device: SimulatedDevice, decision?: Decision): Promise<PendingRequest>;
  /** radclient against the RADIUS port with User-Name, User-Password and Message-Authenticator. */
  auth(
    username: string,
    password: string,
    extra?: Partial<RadclientOptions> & { lines?: string[] },
  ): Promise<RadclientResult>;
  /** The user's audit entries, oldest first. */
  auditFor(username: string): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/**
 * Starts the server and RADIUS front with one radius application and the 127.0.0.1 client in `mode`; the front
 * logs to `options.log` (silent by default) and counts drops in the HTTP server's metrics.
 */
export async function startRadiusHarness(
  settings: Partial<RadiusClientConfig> = {},
  options: { log?: RadiusLogger; config?: Record<string, unknown> } = {},
): Promise<RadiusHarness> {
  const server = await startTestServer({ ...(options.config && { config: options.config }) });
  const { deps } = server;
  const { app } = await createApplication(deps, 'test', { name: 'vpn', type: 'radius' });
  const radius = await startRadius(server.countersign, {
    host: '127.0.0.1',
    port: 0,
    log: options.log ?? silent,
    reloadMs: 60_000,
    metrics: server.http.metrics,
  });
  const harness: RadiusHarness = {
    server,
    radius,
    app,
    async configureClient(overrides) {
      await saveRadiusClient(deps, 'test', {
        name: 'local',
        address: '127.0.0.1',
        secret: SECRET,
        mode: 'auto',
        applicationId: app.id,
        delimiter: ',',
        requireMessageAuthenticator: true,
        failmode: 'secure',
        replyAttributes: [],
        ...overrides,
      });
      await radius.reloadClients();
    },
    user: (name, options = {}) =>
      createTestUser(deps, name, {
        groups: options.groups ?? [],
        ...(options.status !== undefined && { status: options.status }),
        ...(options.password !== null && { password: options.password ?? PASSWORD }),
      }),
    totp: (user) => addTestTotp(deps, user),
    async device(user) {
      const { code } = await createActivation(deps, 'test', user);
      const keys = await generateDeviceKeyPair(false);
      const response = await fetch(`${server.url}/device/v1/activate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, publicKey: await exportPublicKey(keys.publicKey), name: 'Phone' }),
      });
      const account = (await response.json()) as { deviceId?: string };
      if (response.status !== 200 || !account.deviceId)
        throw new Error(`activation failed: ${response.status}`);
      return { deviceId: account.deviceId, privateKey: keys.privateKey };
    },
    async pendingPushes(device) {
      const path = '/device/v1/requests';
      const ts = server.clock.now();
      const response = await fetch(server.url + path, {
        headers: {
          authorization: await deviceAuthorization(device.deviceId, device.privateKey, 'GET', path, '', ts),
        },
      });
      return ((await response.json()) as { requests: PendingRequest[] }).requests;
    },
    async answerPush(device, request, decision = 'approve') {
      const signedAt = server.clock.now();
      const signature = await signText(
        device.privateKey,
        answerSigningString(request.txid, decision, '', signedAt),
      );
      const body = JSON.stringify({ decision, code: '', signedAt, signature });
      const answerPath = `/device/v1/requests/${request.txid}/answer`;
      const answered = await fetch(server.url + answerPath, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: await deviceAuthorization(
            device.deviceId,
            device.privateKey,
            'POST',
            answerPath,
            body,
            signedAt,
          ),
        },
        body,
      });
      if (answered.status !== 200)
        throw new Error(`answer refused: ${answered.status} ${await answered.text()}`);
    },
    async answerNextPush(device, decision = 'approve') {
      for (let attempt = 0; attempt < 200; attempt++) {
        const [request] = await harness.pendingPushes(device);
        if (request) {
          await harness.answerPush(device, request, decision);
          return request;
        }
        await sleep(50);
      }
      throw new Error('no push request reached the device');
    },
    auth(username, password, extra = {}) {
      const { lines = [], ...options } = extra;
      return runRadclient({
        port: radius.port,
        secret: SECRET,
        attributes: [`User-Name = "${username}"`, `User-Password = "${password}"`, MA, ...lines],
        ...options,
      });
    },
    async auditFor(username) {
      const entries = await deps.store.audit.tail({ limit: 1000 });
      return entries.filter((entry) => entry.username === username);
    },
    async close() {
      await radius.close();
      await server.close();
    },
  };
  await harness.configureClient(settings);
  return harness;
}

/** The value of the first reply attribute called `name`. */
export function attribute(result: RadclientResult, name: string): string | undefined {
  return result.attributes.find((entry) => entry.name === name)?.value;
}
