// Push test world: a real server on 127.0.0.1 (manual clock, recording Notifier), an Auth API client, devices.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCountersign } from '../../src/app.ts';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import type { AuthStatusResponse } from '../../src/client/types.ts';
import { buildConfig } from '../../src/config.ts';
import { type Clock, type ManualClock, manualClock, secureRandom } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { AuditEntry, AuthTransaction } from '../../src/core/model.ts';
import type { Notifier } from '../../src/core/notify.ts';
import { newKeyRing } from '../../src/crypto/keyring.ts';
import { importSigningKey } from '../../src/device-client/account.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient, type DeviceClient } from '../../src/device-client/client.ts';
import { deviceApiUrl } from '../../src/device-client/http.ts';
import type { DeviceEvent, PendingRequest } from '../../src/device-protocol/messages.ts';
import { deviceAuthorization } from '../../src/device-protocol/signing.ts';
import { createHttpServer } from '../../src/server.ts';
import { createTestApp, TEST_START_MS } from '../support/server.ts';

/** What the recording Notifier saw. */
export interface Notices {
  deviceRequests: Array<{ deviceId: string; txid: string }>;
  fraud: Array<{ username: string; txid: string; app: string | null }>;
}

export interface PushWorld<C extends Clock = ManualClock> {
  url: string;
  deps: CoreDeps;
  clock: C;
  api: AuthApiClient;
  notices: Notices;
  /** Auth API /enroll, then the Node client activates; returns the device client (signing on `clock`). */
  enroll(username: string): Promise<{ device: DeviceClient; userId: string; activationCode: string }>;
  /** Starts an async push (verified push offered); returns its txid. */
  push(username: string, params?: Record<string, string>): Promise<string>;
  /** The transaction as stored (reading it never long-polls). */
  tx(txid: string): Promise<AuthTransaction>;
  /** The verified-push number, read as a login screen would: from auth_status's status_msg (call once per
   * txid: a second auth_status on an unchanged transaction is a long poll). */
  shownCode(txid: string): Promise<string>;
  /** Audit entries of `kind` (oldest first). */
  audit(kind?: AuditEntry['kind']): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/** Starts the server and client; `clock` defaults to a manual clock at TEST_START_MS; `config` overrides by dotted path. */
export async function startPushWorld<C extends Clock = ManualClock>(
  options: { clock?: C; databaseUrl?: string; config?: Record<string, unknown> } = {},
): Promise<PushWorld<C>> {
  const clock = options.clock ?? (manualClock(TEST_START_MS) as Clock as C);
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-push-'));
  const notices: Notices = { deviceRequests: [], fraud: [] };
  const notify: Notifier = {
    deviceRequest: async (device, request) => {
      notices.deviceRequests.push({ deviceId: device.id, txid: request.txid });
    },
    fraudReported: async ({ user, app, tx }) => {
      notices.fraud.push({ username: user.username, txid: tx.id, app: app?.name ?? null });
    },
  };
  const config = buildConfig(
    undefined,
    {},
    {
      data_dir: dataDir,
      'http.host': '127.0.0.1',
      'http.port': 0,
      log_level: 'silent',
      ...(options.databaseUrl !== undefined && { database_url: options.databaseUrl }),
      ...options.config,
    },
  );
  const countersign = await openCountersign(config, { clock, ring: newKeyRing(secureRandom), notify });
  const http = createHttpServer(countersign, { logger: false });
  const url = await http.listen();
  const { deps } = countersign;
  const keys = await createTestApp(deps, { name: 'VPN' });
  const api = createAuthApiClient({ baseUrl: url, ...keys, clock: () => clock.now() });
  const world: PushWorld<C> = {
    url,
    deps,
    clock,
    api,
    notices,
    async enroll(username) {
      const enrolled = await api.enroll({ username });
      const account = await activateDevice(enrolled.activation_url, { name: `${username}'s laptop` });
      return {
        device: createDeviceClient(account, { clock }),
        userId: enrolled.user_id,
        activationCode: enrolled.activation_code,
      };
    },
    async push(username, params = {}) {
      const started = (await api.call('POST', '/auth/v2/auth', {
        username,
        factor: 'push',
        device: 'auto',
        async: '1',
        client_supports_verified_push: '1',
        ...params,
      })) as { txid: string };
      return started.txid;
    },
    async tx(txid) {
      const tx = await deps.store.transactions.get(txid);
      assert.ok(tx, `transaction ${txid} exists`);
      return tx;
    },
    async shownCode(txid) {
      const status = (await api.authStatus(txid)) as AuthStatusResponse;
      const code = /verification code (\d+) /.exec(status.status_msg)?.[1];
      assert.ok(code, `auth_status shows a verification code: ${status.status_msg}`);
      return code;
    },
    audit: async (kind) =>
      (await deps.store.audit.tail({ limit: 10_000, ...(kind && { kind }) })).sort(
        (a, b) => (a.id ?? 0) - (b.id ?? 0),
      ),
    async close() {
      api.close();
      try {
        await http.close();
        await countersign.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
  return world;
}

/** A device's live channel, recorded: `next` waits for the first event (already seen or still to come) that matches. */
export interface EventTap {
  events: DeviceEvent[];
  next(match: (event: DeviceEvent) => boolean): Promise<DeviceEvent>;
  stop(): Promise<void>;
}

/** Opens `device`'s SSE channel and resolves once it is connected. */
export async function tapEvents(device: DeviceClient): Promise<EventTap> {
  const events: DeviceEvent[] = [];
  const waiters: Array<{ match: (event: DeviceEvent) => boolean; resolve: (event: DeviceEvent) => void }> =
    [];
  const controller = new AbortController();
  let opened: () => void = () => {};
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const done = device.events(
    (event) => {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (!waiter.match(event)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    },
    controller.signal,
    opened,
  );
  await Promise.race([open, done]);
  return {
    events,
    next: (match) => {
      const seen = events.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

/** Waits (polling the device API) until `device` sees `txid` (or, without one, any request) pending. */
export async function waitForPending(device: DeviceClient, txid?: string): Promise<PendingRequest> {
  for (;;) {
    const found = (await device.pending()).find((request) => txid === undefined || request.txid === txid);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The server's answer to a raw answer POST: status and JSON body (errors included, never thrown). */
export interface RawAnswer {
  status: number;
  body: { state?: string; error?: string; message?: string };
}

/**
 * POSTs `body` as `device`'s answer to `txid`, with a valid device header over `headerBody` (default: the same
 * body, so only the answer's own signature is on trial). For forging, replaying and editing answers.
 */
export async function postRawAnswer(
  device: DeviceClient,
  clock: Clock,
  txid: string,
  body: string,
  headerBody = body,
): Promise<RawAnswer> {
  const key = await importSigningKey(device.account);
  const { url, path } = deviceApiUrl(device.account.serverUrl, `/requests/${txid}/answer`);
  const authorization = await deviceAuthorization(
    device.account.deviceId,
    key,
    'POST',
    path,
    headerBody,
    clock.now(),
  );
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, body: (await response.json()) as RawAnswer['body'] };
}
