// Test world for the notifier: the core on a temp store (frozen clock), a fake push service, an outbox folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activateDevice } from '../../src/core/enrollment/activate-device.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import type { Application, Authenticator, AuthTransaction, User } from '../../src/core/model.ts';
import { beginTransaction, startFactor } from '../../src/core/transaction/index.ts';
import type { PushSubscriptionData } from '../../src/device-protocol/messages.ts';
import { type DeviceKey, exportPublicKey, generateDeviceKeyPair } from '../../src/device-protocol/signing.ts';
import { type CountersignNotifier, createNotifier } from '../../src/fronts/notify/create-notifier.ts';
import type { DevicePushResult } from '../../src/fronts/notify/device-push.ts';
import type { NotifyOptions } from '../../src/fronts/notify/options.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';
import { type FakePushService, startFakePushService } from './fake-push-service.ts';

/** A log that keeps its lines so tests can check what was said. */
export interface RecordingLog {
  lines: Array<{ level: 'info' | 'warn'; message: string; details: Record<string, unknown> }>;
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export interface NotifyWorld {
  h: CoreHarness;
  push: FakePushService;
  outbox: string;
  notify: CountersignNotifier;
  log: RecordingLog;
  /** Every finished push attempt, in order. */
  results: Array<{ result: DevicePushResult; deviceId: string; txid: string }>;
  app: Application;
  /** A user with an activated device subscribed as `subscription` (or not subscribed). */
  device(
    subscription: PushSubscriptionData | null,
  ): Promise<{ user: User; device: Authenticator; key: DeviceKey }>;
  /** Starts a transaction and pushes it (verified push, as a login page that shows the number would). */
  pushLogin(user: User, ip?: string): Promise<AuthTransaction>;
  close(): Promise<void>;
}

function recordingLog(): RecordingLog {
  const lines: RecordingLog['lines'] = [];
  return {
    lines,
    info: (details, message) => lines.push({ level: 'info', message, details }),
    warn: (details, message) => lines.push({ level: 'warn', message, details }),
  };
}

/** Opens the world; `options` go to createNotifier (http endpoints allowed and an outbox unless overridden). */
export async function openNotifyWorld(options: NotifyOptions = {}): Promise<NotifyWorld> {
  const h = await openCoreHarness();
  const push = await startFakePushService();
  const outbox = await mkdtemp(join(tmpdir(), 'countersign-outbox-'));
  const log = recordingLog();
  const results: NotifyWorld['results'] = [];
  const notify = createNotifier({
    deps: () => h.deps,
    config: {
      allowHttpEndpoints: true,
      outboxDir: outbox,
      adminEmails: ['security@example.org'],
      ...options,
    },
    log,
    onPush: (result, deviceId, txid) => results.push({ result, deviceId, txid }),
  });
  h.deps.notify = notify.notifier;
  const app = await h.app();
  return {
    h,
    push,
    outbox,
    notify,
    log,
    results,
    app,
    async device(subscription) {
      const user = await h.user();
      const { code } = await createActivation(h.deps, 'test', user);
      const keys = await generateDeviceKeyPair(false);
      const { device } = await activateDevice(h.deps, {
        code,
        publicKey: await exportPublicKey(keys.publicKey),
        name: 'Phone',
        pushSubscription: subscription,
      });
      return { user: await h.reload(user), device, key: keys.privateKey };
    },
    async pushLogin(user, ip = '198.51.100.7') {
      const { tx } = await beginTransaction(h.deps, { app, user, ip, factor: 'push' });
      const push = { device: 'auto', automatic: false, canShowCode: true };
      return (await startFactor(h.deps, tx.id, 'push', push)).tx;
    },
    async close() {
      await notify.idle();
      await push.close();
      await h.close();
      await rm(outbox, { recursive: true, force: true });
    },
  };
}
