// Opens everything a Countersign process needs: configuration, key ring, store, event bus.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import { CONFIG_FILE_NAME, type Config, ConfigError, keyFilePath, outboxDir } from './config.ts';
import { type Clock, type Random, secureRandom, systemClock } from './core/clock.ts';
import type { CoreDeps } from './core/deps.ts';
import { directoryPrimaryAuth } from './core/directory/directory-primary-auth.ts';
import { type EventBus, inProcessBus } from './core/events.ts';
import { type Notifier, silentNotifier } from './core/notify.ts';
import type { PrimaryAuth } from './core/primary-auth.ts';
import { type KeyRing, parseKeyRing, readKeyFile } from './crypto/keyring.ts';
import { devicesDir } from './device-client/account-file.ts';
import { createNotifier } from './fronts/notify/create-notifier.ts';
import type { MailTemplates } from './fronts/notify/mail-templates.ts';
import type { Mailer } from './fronts/notify/mailer.ts';
import { NotifyOptionsError } from './fronts/notify/options.ts';
import { smtpOptions } from './fronts/notify/smtp-mailer.ts';
import { dbipLocator } from './geoip/dbip-locator.ts';
import { PRIVATE_DIR_MODE, type PrivatePaths, tightenPrivateFiles } from './private-files.ts';
import { openStore } from './store/open-store.ts';
import { createProvider, telephonyOutboxDir } from './telephony/create-provider.ts';
import type { TelephonyProvider } from './telephony/provider.ts';
import { createTelephony } from './telephony/telephony.ts';
import { TemplateError } from './text-template.ts';

export interface Countersign {
  config: Readonly<Config>;
  deps: CoreDeps;
  /** The process's JSON logger (Fastify logs through it too). */
  logger: Logger;
  /** The Web Push (VAPID) public key devices subscribe with. */
  vapidPublicKey(): Promise<string | null>;
  /** E-mail to users and administrators: SMTP, or an outbox of .eml files (`mail.transport`). */
  mailer: Mailer | undefined;
  /** The e-mail templates (the operator's where given); undefined when the notifier was replaced (tests). */
  templates: MailTemplates | undefined;
  /** The telephony provider `[telephony]` configures, or null while telephony is off. */
  telephonyProvider: TelephonyProvider | null;
  close(): Promise<void>;
}

/** Reads the key ring from COUNTERSIGN_MASTER_KEY when set, otherwise from the key file. */
export async function loadKeyRing(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<KeyRing> {
  if (env.COUNTERSIGN_MASTER_KEY) return parseKeyRing(env.COUNTERSIGN_MASTER_KEY, 'COUNTERSIGN_MASTER_KEY');
  return readKeyFile(keyFilePath(config));
}

/** The SQLite file inside the data directory. */
export function sqlitePath(config: Config): string {
  return join(config.data_dir, 'countersign.db');
}

/** Countersign's own paths in and around the data directory: what must be readable by its owner only. */
function privatePaths(config: Config): PrivatePaths {
  const database = sqlitePath(config);
  return {
    paths: [
      config.data_dir,
      ...['', '-wal', '-shm', '-journal'].map((suffix) => `${database}${suffix}`),
      keyFilePath(config),
      join(config.data_dir, CONFIG_FILE_NAME),
    ],
    folders: [outboxDir(config), telephonyOutboxDir(config), devicesDir(config.data_dir)],
  };
}

/**
 * Creates the data directory owner-only, and takes group and other access away from what an older version (or a
 * loose umask) left open; says so in the log. Only Countersign's own paths are touched, never the whole folder:
 * `data_dir` may be pointed at a directory that holds other things.
 */
async function protectDataDir(config: Config, logger: Logger): Promise<void> {
  if (!config.database_url) await mkdir(config.data_dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const { changed, failed } = await tightenPrivateFiles(privatePaths(config));
  if (changed.length > 0) {
    logger.warn(
      { paths: changed },
      `tightened the permissions of ${changed.length} paths in the data directory: group and others had access`,
    );
  }
  for (const { path, reason } of failed) {
    logger.warn({ path, reason }, 'group or others can read this Countersign file, and it cannot be changed');
  }
}

/** Opens the store and bus for `config` (migrating the database); the caller closes it. */
export async function openCountersign(
  config: Readonly<Config>,
  options: {
    clock?: Clock;
    random?: Random;
    ring?: KeyRing;
    primary?: PrimaryAuth;
    /** Replaces the Web Push + mail notifier built from the configuration (tests). */
    notify?: Notifier;
    logger?: Logger;
  } = {},
): Promise<Countersign> {
  const logger = options.logger ?? pino({ level: config.log_level });
  await protectDataDir(config, logger);
  const ring = options.ring ?? (await loadKeyRing(config));
  const store = await openStore({
    ...(config.database_url
      ? { url: config.database_url, preparedStatements: config.database_prepared_statements }
      : { sqlitePath: sqlitePath(config) }),
    onUnknownReason: (reason, txid) =>
      logger.warn(
        { reason, txid },
        'a transaction has a reason this version does not know: read as unknown_reason',
      ),
  });
  let bus: EventBus;
  try {
    // LISTEN/NOTIFY (and the pg driver under it) loads only for PostgreSQL.
    bus = config.database_url
      ? await (await import('./store/pg-event-bus.ts')).postgresBus(config.database_url)
      : inProcessBus();
  } catch (error) {
    await store.close();
    throw error;
  }
  let built: ReturnType<typeof createNotifier> | null = null;
  try {
    built = options.notify
      ? null
      : createNotifier({
          deps: () => deps,
          log: logger,
          config: {
            vapidSubject: config.push.vapid_subject,
            allowHttpEndpoints: config.push.allow_http_endpoints,
            pushTimeoutMs: config.push.timeout_ms,
            adminEmails: config.alerts.admin_emails,
            mailFrom: config.mail.from,
            organization: config.organization,
            outboxDir: outboxDir(config),
            ...(config.mail.transport === 'smtp' && { smtp: smtpOptions(config.mail.smtp) }),
            ...(config.mail.templates_dir !== undefined && { templatesDir: config.mail.templates_dir }),
          },
        });
  } catch (error) {
    // An unreadable CA file or a broken e-mail template stops the start: nothing may stay open behind it.
    await bus.close();
    await store.close();
    if (error instanceof TemplateError || error instanceof NotifyOptionsError)
      throw new ConfigError([error.message]);
    throw error;
  }
  const telephonyProvider = createProvider({ config, clock: options.clock ?? systemClock });
  const deps: CoreDeps = {
    store,
    bus,
    clock: options.clock ?? systemClock,
    random: options.random ?? secureRandom,
    ring,
    // directory users are checked against their LDAP / AD directory, local users against argon2id
    primary: options.primary ?? directoryPrimaryAuth(() => deps),
    notify: options.notify ?? built?.notifier ?? silentNotifier,
    limits: {
      perUserPerMinute: config.limits.logins_per_user_per_minute,
      perAddressPerMinute: config.limits.logins_per_address_per_minute,
    },
    ...(config.geoip.enabled && {
      locator: dbipLocator({
        onError: (error) => logger.error({ err: error }, 'GeoIP database unreadable: no locations are shown'),
      }),
    }),
    // Off (every send refused) until `[telephony] enabled`; the provider is built from the configuration.
    telephony: createTelephony({
      deps: () => ({ store, clock: deps.clock, random: deps.random, log: logger }),
      settings: config.telephony,
      provider: telephonyProvider,
      organization: config.organization,
    }),
  };
  return {
    config,
    deps,
    logger,
    vapidPublicKey: built ? () => built.vapidPublicKey() : async () => null,
    mailer: built?.mailer,
    templates: built?.templates,
    telephonyProvider,
    async close() {
      // Pushes still on their way to a push service finish before the store closes.
      await built?.idle();
      await built?.mailer.close?.();
      await bus.close();
      await store.close();
    },
  };
}
