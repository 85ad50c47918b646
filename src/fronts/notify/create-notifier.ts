// Builds the server's Notifier: Web Push to devices, fraud alerts by e-mail and to the console; and the VAPID key.
import type { Clock, Random } from '../../core/clock.ts';
import type { Notifier } from '../../core/notify.ts';
import type { Store } from '../../core/repositories.ts';
import type { KeyRing } from '../../crypto/keyring.ts';
import { alertLog } from './alert-log.ts';
import { type DevicePushResult, pushToDevice } from './device-push.ts';
import { reportFraud } from './fraud-alert.ts';
import { loadMailTemplates, type MailTemplates } from './mail-templates.ts';
import { logMailer, type Mailer } from './mailer.ts';
import { type NotifyLog, type NotifyOptions, resolveNotifyOptions } from './options.ts';
import { outboxMailer } from './outbox-mailer.ts';
import { smtpMailer } from './smtp-mailer.ts';
import { loadOrCreateVapidKeys, type VapidKeys } from './vapid-keys.ts';

/** What the notifier reads from the core. */
export interface NotifierDeps {
  store: Store;
  clock: Clock;
  random: Random;
  /** Read on every use: `keys rotate` replaces the ring while the server runs. */
  ring: KeyRing;
}

export interface CreateNotifierInput {
  /** The core's dependencies, or a function returning them (the core is opened after the notifier is made). */
  deps: NotifierDeps | (() => NotifierDeps);
  config?: NotifyOptions;
  log: NotifyLog;
  /** Replaces the mailer chosen from `config` (a recording one in tests). */
  mailer?: Mailer;
  fetch?: typeof fetch;
  /** Called after each push attempt finishes (tests, metrics). */
  onPush?: (result: DevicePushResult, deviceId: string, txid: string) => void;
}

export interface CountersignNotifier {
  notifier: Notifier;
  /** The VAPID public key devices subscribe with (created on first use); for `GET /device/v1/vapid`. */
  vapidPublicKey(): Promise<string | null>;
  /** Resolves when every push started so far has finished (graceful shutdown, tests). */
  idle(): Promise<void>;
  /** The mailer chosen from the configuration, for other notices (the portal's account-change e-mails). */
  mailer: Mailer;
  /** The e-mail templates (the operator's where given, else the built-in ones). */
  templates: MailTemplates;
}

/** The mailer `options` ask for: SMTP when configured, else the outbox, else the log. */
function chooseMailer(
  options: ReturnType<typeof resolveNotifyOptions>,
  deps: { clock: Clock; random: Random; log: NotifyLog },
): Mailer {
  if (options.smtp !== null) return smtpMailer(options.smtp, options.mailFrom);
  if (options.outboxDir !== null)
    return outboxMailer(options.outboxDir, {
      clock: deps.clock,
      random: deps.random,
      from: options.mailFrom,
    });
  return logMailer(deps.log);
}

/**
 * Creates the notifier; throws NotifyOptionsError when `config` holds an unusable value, TemplateError when an
 * operator's e-mail template does not parse.
 */
export function createNotifier(input: CreateNotifierInput): CountersignNotifier {
  const options = resolveNotifyOptions(input.config);
  const deps = typeof input.deps === 'function' ? input.deps : () => input.deps as NotifierDeps;
  const { log } = input;
  const clock: Clock = { now: () => deps().clock.now() };
  const random: Random = {
    bytes: (length) => deps().random.bytes(length),
    int: (max) => deps().random.int(max),
    uuid: () => deps().random.uuid(),
  };

  let vapid: Promise<VapidKeys> | null = null;
  const vapidKeys = () => {
    vapid ??= loadOrCreateVapidKeys(deps()).catch((error: unknown) => {
      vapid = null; // try again next time (the store may have been briefly unavailable)
      throw error;
    });
    return vapid;
  };

  const templates = loadMailTemplates(options.templatesDir ?? undefined);
  const mailer = input.mailer ?? chooseMailer(options, { clock, random, log });
  let alerts: ReturnType<typeof alertLog> | null = null;
  const inFlight = new Set<Promise<void>>();

  const notifier: Notifier = {
    async deviceRequest(device, request) {
      // Sent in the background: the login answers at once, the live channel already told an open app.
      const delivery = pushToDevice(
        {
          store: deps().store,
          clock,
          log,
          vapidKeys,
          vapidSubject: options.vapidSubject,
          allowHttpEndpoints: options.allowHttpEndpoints,
          timeoutMs: options.pushTimeoutMs,
          ...(input.fetch && { fetch: input.fetch }),
        },
        device,
        request,
      )
        .then((result) => input.onPush?.(result, device.id, request.txid))
        .catch(() => {}); // pushToDevice never throws; a throwing onPush must not become an unhandled rejection
      const tracked = delivery.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    },
    async fraudReported(report) {
      alerts ??= alertLog(deps().store);
      await reportFraud(
        {
          clock,
          mailer,
          templates,
          organization: options.organization,
          alerts,
          adminEmails: options.adminEmails,
          log,
        },
        report,
      );
    },
  };

  return {
    notifier,
    mailer,
    templates,
    async vapidPublicKey() {
      return (await vapidKeys()).publicKey;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
