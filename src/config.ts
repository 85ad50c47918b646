// One validated configuration object: defaults, then the config file, then environment variables; all errors at once.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseToml } from 'smol-toml';
import { mailConfigErrors } from './fronts/notify/check-mail-config.ts';
import { isAddressRange } from './http/peer-address.ts';
import { telephonyConfigErrors } from './telephony/check-config.ts';

export const ConfigSchema = Type.Object(
  {
    data_dir: Type.String({
      default: './data',
      description: 'Where the SQLite database, key file and device keys live.',
    }),
    database_url: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        description: 'PostgreSQL URL; embedded SQLite when unset.',
      }),
    ),
    database_prepared_statements: Type.Boolean({
      default: true,
      description:
        "PostgreSQL: send the login path's queries as named prepared statements, parsed and planned once per connection. Set false behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`).",
    }),
    workers: Type.Integer({
      default: 1,
      minimum: 1,
      maximum: 64,
      description:
        '`serve` processes on this machine sharing its listeners (node:cluster), to use more than one core: each one a whole server on the same database (SQLite in WAL mode, or PostgreSQL). Limits such as `http.max_connections` count per process; a scrape of /metrics answers the sum over all of them.',
    }),
    master_key_file: Type.Optional(
      Type.String({ description: 'Key ring file; default <data_dir>/master.key.' }),
    ),
    organization: Type.String({
      default: 'Countersign',
      minLength: 1,
      description: 'Shown to users in apps and prompts.',
    }),
    logo_file: Type.Optional(
      Type.String({
        pattern: '\\.(png|jpe?g|svg|webp)$',
        description:
          "The organization's logo: a PNG, JPEG, SVG or WebP file on this server, shown beside the name in every page's header (served at /branding/logo with a sandboxing CSP; a URL elsewhere is not taken, since pages load images only from their own origin). Unset: the name alone.",
      }),
    ),
    public_url: Type.Optional(
      Type.String({ pattern: '^https?://', description: 'The URL users and devices reach.' }),
    ),
    http: Type.Object(
      {
        host: Type.String({
          default: '127.0.0.1',
          description: 'Address the HTTP(S) server binds (0.0.0.0 for all).',
        }),
        port: Type.Integer({
          default: 8080,
          minimum: 0,
          maximum: 65535,
          description: 'HTTP(S) port (0: any free port).',
        }),
        tls_cert: Type.Optional(Type.String({ description: 'PEM certificate file: serve HTTPS directly.' })),
        tls_key: Type.Optional(Type.String({ description: 'PEM private key file.' })),
        trusted_proxies: Type.Array(Type.String(), {
          default: [],
          description:
            'Addresses/CIDRs of reverse proxies (or `loopback`, `linklocal`, `uniquelocal`) whose X-Forwarded-For is believed; they are also exempt from `max_connections_per_address`.',
        }),
        shutdown_grace_ms: Type.Integer({
          default: 10_000,
          minimum: 0,
          description: 'On SIGTERM, how long in-flight requests may take before the process exits.',
        }),
        headers_timeout_ms: Type.Integer({
          default: 10_000,
          minimum: 1_000,
          maximum: 300_000,
          description:
            "How long a client may take to send a request's headers, to send its first request on a new connection, and to finish a TLS handshake. Stops slow-header (Slowloris) attacks; real clients send headers in one packet.",
        }),
        request_timeout_ms: Type.Integer({
          default: 30_000,
          minimum: 1_000,
          maximum: 600_000,
          description:
            'How long a client may take to send a whole request, headers and body (at least `headers_timeout_ms`); the connection is closed with 408 after it. Only the upload is timed: long polls (auth_status, a synchronous push, the device live channel) hold their response for minutes regardless. Countersign bodies are a few kilobytes.',
        }),
        keep_alive_timeout_ms: Type.Integer({
          default: 72_000,
          minimum: 1_000,
          maximum: 600_000,
          description:
            "How long an idle keep-alive connection stays open between requests. Longer than common load balancers' idle timeout (60 s), so the balancer, not Countersign, closes idle connections and never reuses one being closed.",
        }),
        connections_check_interval_ms: Type.Integer({
          default: 1_000,
          minimum: 100,
          maximum: 30_000,
          description:
            'How often the header and request timeouts are checked: a slow request is cut off at most this long after its limit.',
        }),
        max_connections: Type.Integer({
          default: 50_000,
          minimum: 1,
          description:
            "Open HTTP(S) connections on this node; more are closed at once. Each phone with the Authenticator open holds one live-channel connection (about 12 KB of memory), so tens of thousands of phones fit; keep it below the process's open-file limit (`ulimit -n`, systemd `LimitNOFILE`).",
        }),
        max_connections_per_address: Type.Integer({
          default: 2_000,
          minimum: 0,
          description:
            "Open connections from one client address (IPv6: one /64); more are closed at once; 0: no limit. It keeps one host from taking a node's `max_connections`, yet fits an application server (Duo's Authentication Proxy for a VPN, a web backend) holding one connection per login waiting on a push, hundreds at a morning peak. Counted on the TCP peer: behind a reverse proxy or load balancer every connection comes from the proxy, so list it in `trusted_proxies` (exempt, bounded by `max_connections` only) and limit clients there.",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    auth_api: Type.Object(
      {
        clock_skew_seconds: Type.Integer({
          default: 300,
          minimum: 30,
          maximum: 3600,
          description:
            "Accepted difference between a signed request's Date and the server clock (the Auth API and the Admin API).",
        }),
        logo_file: Type.Optional(Type.String({ description: 'PNG served by /auth/v2/logo.' })),
        max_sync_wait_seconds: Type.Integer({
          default: 300,
          minimum: 1,
          maximum: 600,
          description: 'How long a synchronous push /auth may hold its request.',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    metrics: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description: 'Serve Prometheus metrics at /metrics on a listener of their own.',
        }),
        host: Type.String({
          default: '127.0.0.1',
          description:
            'Address the metrics listener binds: loopback by default, since metrics describe traffic and load.',
        }),
        port: Type.Integer({
          default: 9464,
          minimum: 0,
          maximum: 65535,
          description: 'Port of the metrics listener (0: any free port).',
        }),
        token: Type.Optional(
          Type.String({
            minLength: 16,
            description:
              'Also serve /metrics on the main listener to `Authorization: Bearer <token>` (at least 16 characters); unset: the main listener answers 404.',
          }),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    radius: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Run the RADIUS server beside HTTP.' }),
        host: Type.String({
          default: '127.0.0.1',
          description: 'Address the RADIUS server binds (0.0.0.0 for VPNs elsewhere).',
        }),
        port: Type.Integer({ default: 1812, minimum: 0, maximum: 65535, description: 'RADIUS UDP port.' }),
      },
      { default: {}, additionalProperties: false },
    ),
    directory: Type.Object(
      {
        sync_minutes: Type.Integer({
          default: 0,
          minimum: 0,
          maximum: 10_080,
          description: 'Sync every configured LDAP directory this often (0: only on demand).',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    push: Type.Object(
      {
        vapid_subject: Type.String({
          default: 'mailto:countersign@localhost',
          description: 'Contact URI push services see in VAPID tokens (mailto: or https:).',
        }),
        allow_http_endpoints: Type.Boolean({
          default: false,
          description: 'Accept http://127.0.0.1 Web Push endpoints (tests and benchmarks only).',
        }),
        timeout_ms: Type.Integer({
          default: 5000,
          minimum: 100,
          maximum: 60_000,
          description: 'Give up on a push service after this long.',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    limits: Type.Object(
      {
        logins_per_user_per_minute: Type.Integer({
          default: 20,
          minimum: 0,
          maximum: 10_000,
          description:
            'Logins one user may start per minute, through every front together (also the largest burst); ' +
            'further attempts get HTTP 429 / a RADIUS reject and no push. 0: no limit.',
        }),
        logins_per_address_per_minute: Type.Integer({
          default: 600,
          minimum: 0,
          maximum: 1_000_000,
          description:
            "Logins one end-user address may start per minute (the Auth API's ipaddr, RADIUS Calling-Station-Id, " +
            "the browser's address). Many users behind one NAT share it: size it for the busiest one. 0: no limit.",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    geoip: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description:
            'Show where a sign-in came from (city, region, country) in the authentication log and on push ' +
            "requests, from DB-IP's IP to City Lite database (CC BY 4.0, shipped as an npm package). It is read " +
            'into memory on first use (about 65 MB per address family); false: no location is ever looked up.',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    alerts: Type.Object(
      {
        admin_emails: Type.Array(Type.String(), {
          default: [],
          description: 'Who is e-mailed when a user reports a push as fraud.',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    mail: Type.Object(
      {
        transport: Type.Union([Type.Literal('outbox'), Type.Literal('smtp')], {
          default: 'outbox',
          description:
            'How e-mail leaves: `outbox` writes each message as an .eml file (development), `smtp` sends it through `[mail.smtp]`.',
        }),
        outbox_dir: Type.Optional(
          Type.String({
            description: 'Where the outbox writes its .eml files; default `<data_dir>/outbox`.',
          }),
        ),
        from: Type.String({
          default: 'Countersign <countersign@localhost>',
          description: 'From address of every e-mail Countersign sends.',
        }),
        templates_dir: Type.Optional(
          Type.String({
            description:
              'A folder of e-mail templates that replace the built-in ones (`<name>.txt`, `<name>.html`; see docs/telephony.md); a template missing there keeps its default.',
          }),
        ),
        smtp: Type.Object(
          {
            host: Type.Optional(
              Type.String({ minLength: 1, description: 'The SMTP server (required for `smtp`).' }),
            ),
            port: Type.Integer({
              default: 587,
              minimum: 1,
              maximum: 65535,
              description: 'SMTP port: 587 for submission with STARTTLS, 465 for implicit TLS.',
            }),
            security: Type.Union([Type.Literal('starttls'), Type.Literal('tls'), Type.Literal('none')], {
              default: 'starttls',
              description:
                '`starttls`: upgrade with STARTTLS and refuse to go on without it; `tls`: TLS from the first byte (port 465); `none`: plain text, only to a relay on this machine.',
            }),
            username: Type.Optional(Type.String({ minLength: 1, description: 'SMTP AUTH user name.' })),
            password: Type.Optional(Type.String({ description: 'SMTP AUTH password.' })),
            ca_file: Type.Optional(
              Type.String({
                description:
                  "PEM file of the CA that signed the server's certificate, when it is not a public one.",
              }),
            ),
            pool: Type.Boolean({
              default: true,
              description: 'Keep connections open and reuse them for the next messages.',
            }),
            max_connections: Type.Integer({
              default: 3,
              minimum: 1,
              maximum: 20,
              description: 'Connections the pool opens at most.',
            }),
            timeout_ms: Type.Integer({
              default: 10_000,
              minimum: 1_000,
              maximum: 120_000,
              description: 'Give up on connecting, the greeting, or a silent server after this long.',
            }),
          },
          { default: {}, additionalProperties: false },
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    telephony: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description:
            'Send text messages and place calls. Off until an administrator turns it on (NIST SP 800-63B §5.1.3.3 restricts SMS; every message costs money).',
        }),
        provider: Type.Union(
          [Type.Literal('outbox'), Type.Literal('twilio'), Type.Literal('kannel'), Type.Literal('webhook')],
          {
            default: 'outbox',
            description:
              '`outbox` writes messages and calls as files in <data_dir>/telephony-outbox (development; `countersign telephony outbox` shows them), `twilio`, `kannel` (SMS only) or `webhook`.',
          },
        ),
        callback_url: Type.Optional(
          Type.String({
            pattern: '^https?://',
            description:
              'The base URL providers call back (Twilio status and keypress webhooks, a webhook gateway); default public_url.',
          }),
        ),
        timeout_ms: Type.Integer({
          default: 10_000,
          minimum: 1_000,
          maximum: 60_000,
          description: 'Give up on the provider after this long.',
        }),
        sms_credits: Type.Integer({
          default: 1,
          minimum: 0,
          maximum: 1_000,
          description:
            'Credits one SMS segment costs. A text over one segment (160 GSM characters, 70 with any other character) is sent in parts of 153 or 67, each charged.',
        }),
        call_credits_per_minute: Type.Integer({
          default: 1,
          minimum: 0,
          maximum: 1_000,
          description: 'Credits one minute of a call costs.',
        }),
        call_time_limit_seconds: Type.Integer({
          default: 60,
          minimum: 30,
          maximum: 600,
          description:
            'A call is hung up after this long; it is charged up front as this many minutes, rounded up.',
        }),
        daily_credit_budget: Type.Integer({
          default: 1_000,
          minimum: 0,
          description:
            'Credits all messages and calls together may cost per UTC day; beyond it, sends are refused until midnight UTC. 0: no budget.',
        }),
        per_user_per_hour: Type.Integer({
          default: 10,
          minimum: 0,
          maximum: 1_000,
          description:
            'Messages and calls one user may be sent per hour (also the largest burst). 0: no limit.',
        }),
        global_per_minute: Type.Integer({
          default: 60,
          minimum: 0,
          maximum: 100_000,
          description:
            'Messages and calls all users together may be sent per minute (also the largest burst). 0: no limit.',
        }),
        twilio: Type.Object(
          {
            account_sid: Type.Optional(
              Type.String({ pattern: '^AC[0-9a-fA-F]{32}$', description: 'Account SID (`AC…`).' }),
            ),
            auth_token: Type.Optional(
              Type.String({
                minLength: 1,
                description: 'Auth token: authenticates API calls and signs webhooks.',
              }),
            ),
            from: Type.Optional(
              Type.String({
                pattern: '^\\+[1-9][0-9]{6,14}$',
                description: 'The Twilio number to send from (E.164).',
              }),
            ),
            api_url: Type.String({
              default: 'https://api.twilio.com',
              pattern: '^https?://',
              description: "Twilio's REST API (change only for a proxy or a test server).",
            }),
            language: Type.String({
              default: 'en-US',
              pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
              description: 'Language of the spoken call (TwiML `<Say language>`).',
            }),
          },
          { default: {}, additionalProperties: false },
        ),
        kannel: Type.Object(
          {
            sendsms_url: Type.String({
              default: 'http://127.0.0.1:13013/cgi-bin/sendsms',
              pattern: '^https?://',
              description: "smsbox's sendsms interface (`sendsms-port` in kannel.conf).",
            }),
            username: Type.Optional(Type.String({ minLength: 1, description: 'A `sendsms-user` username.' })),
            password: Type.Optional(Type.String({ description: "That user's password." })),
            from: Type.Optional(Type.String({ minLength: 1, description: 'The sender number or name.' })),
            smsc: Type.Optional(
              Type.String({
                minLength: 1,
                description: 'Route through this `smsc-id` (unset: Kannel chooses).',
              }),
            ),
          },
          { default: {}, additionalProperties: false },
        ),
        webhook: Type.Object(
          {
            url: Type.Optional(
              Type.String({ pattern: '^https?://', description: 'Where each message or call is POSTed.' }),
            ),
            content_type: Type.Union([Type.Literal('json'), Type.Literal('form'), Type.Literal('text')], {
              default: 'json',
              description:
                'Body type, which also decides how values are escaped: `json` (inside JSON strings), `form` (URL-encoded fields), `text` (as they are).',
            }),
            sms_body: Type.String({
              default: '{"to": "{{to}}", "text": "{{text}}", "id": "{{id}}"}',
              description: 'Body of an SMS; placeholders {{to}}, {{text}}, {{id}}.',
            }),
            call_body: Type.Optional(
              Type.String({
                description:
                  'Body of a call (unset: the webhook places no calls); placeholders {{to}}, {{id}}, {{text}} (what to say), {{organization}}, {{application}}, {{callback_url}} (where to POST the keypress).',
              }),
            ),
            headers: Type.Record(Type.String(), Type.String(), {
              default: {},
              description: 'Extra request headers, such as `Authorization = "Bearer …"`.',
            }),
            callback_secret: Type.Optional(
              Type.String({
                minLength: 32,
                description:
                  'Signs the {{callback_url}} of each call, so only the gateway that received it can report its keypress (32 characters or more; required with call_body).',
              }),
            ),
          },
          { default: {}, additionalProperties: false },
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    webauthn: Type.Object(
      {
        rp_id: Type.Optional(
          Type.String({
            description: 'WebAuthn relying-party ID (a registrable domain); default: the host of public_url.',
          }),
        ),
        origins: Type.Optional(
          Type.Array(Type.String({ pattern: '^https?://' }), {
            description: 'Origins security keys may sign for; default: the origin of public_url.',
          }),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    prompt: Type.Object(
      {
        help_url: Type.Optional(
          Type.String({
            pattern: '^https?://',
            description: 'The help link on the login prompt and the portal.',
          }),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    console: Type.Object(
      {
        idle_minutes: Type.Integer({
          default: 15,
          minimum: 1,
          maximum: 240,
          description: 'A console session left unused this long ends: the administrator signs in again.',
        }),
        session_hours: Type.Number({
          default: 8,
          exclusiveMinimum: 0,
          maximum: 24,
          description: 'A console session ends this long after sign-in, however busy (absolute expiry).',
        }),
        help_desk_bypass_codes: Type.Integer({
          default: 1,
          minimum: 1,
          maximum: 10,
          description: 'Most bypass codes a help desk administrator may issue at once.',
        }),
        help_desk_bypass_uses: Type.Integer({
          default: 1,
          minimum: 1,
          maximum: 10,
          description: 'Most uses of each bypass code a help desk administrator issues (never unlimited).',
        }),
        help_desk_bypass_hours: Type.Number({
          default: 1,
          exclusiveMinimum: 0,
          maximum: 72,
          description: 'Longest lifetime of a bypass code a help desk administrator issues (never unending).',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    sso: Type.Object(
      {
        session_hours: Type.Number({
          default: 12,
          exclusiveMinimum: 0,
          maximum: 720,
          description:
            "How long the identity provider's single sign-on session lasts (OIDC and SAML): within it a browser is not asked for the password again. Each application still runs its own sign-in through the prompt (policy, second factor or a remembered browser). The cookie ends with the browser too.",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    oidc: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description: 'Serve the OpenID Connect provider under /oidc (issuer: `<public_url>/oidc`).',
        }),
        id_token_minutes: Type.Integer({
          default: 60,
          minimum: 1,
          maximum: 1440,
          description: 'Lifetime of an ID token.',
        }),
        access_token_minutes: Type.Integer({
          default: 60,
          minimum: 1,
          maximum: 1440,
          description: 'Lifetime of an access token (opaque; the userinfo endpoint accepts it).',
        }),
        refresh_token_days: Type.Integer({
          default: 14,
          minimum: 1,
          maximum: 365,
          description:
            'Lifetime of a refresh token, for clients added with `--refresh-tokens` that ask for the `offline_access` scope. Each use rotates it; a refresh token used twice revokes the whole grant.',
        }),
        retired_key_hours: Type.Integer({
          default: 24,
          minimum: 1,
          maximum: 8760,
          description:
            "How long a signing key stays published after `countersign oidc keys rotate` retired it, so ID tokens it signed still verify (and relying parties' logout hints are still accepted). At least `id_token_minutes`.",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    saml: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description:
            'Serve the SAML 2.0 identity provider under /saml (metadata at `<public_url>/saml/metadata`).',
        }),
        entity_id: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 1024,
            description:
              "The identity provider's entity ID (Entra ID calls it IssuerUri); default `<public_url>/saml/metadata`. Service providers pin it: change it only with them.",
          }),
        ),
        key_file: Type.Optional(
          Type.String({
            description:
              'The signing key (PEM, RSA of at least 2048 bits); default `<data_dir>/saml-signing.key`, created (3072 bits, mode 0600) by `init`, or by the first SAML request, when missing.',
          }),
        ),
        cert_file: Type.Optional(
          Type.String({
            description:
              "The signing key's certificate (PEM), published in the metadata; default `<data_dir>/saml-signing.crt`, created self-signed (10 years) with the key.",
          }),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    log_level: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
      { default: 'info', description: 'pino log level (JSON logs on standard output).' },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;

/** Environment variables and the config path they set. */
export const ENVIRONMENT: Record<string, string> = {
  COUNTERSIGN_DATA_DIR: 'data_dir',
  COUNTERSIGN_DATABASE_URL: 'database_url',
  COUNTERSIGN_DATABASE_PREPARED_STATEMENTS: 'database_prepared_statements',
  COUNTERSIGN_WORKERS: 'workers',
  COUNTERSIGN_MASTER_KEY_FILE: 'master_key_file',
  COUNTERSIGN_ORGANIZATION: 'organization',
  COUNTERSIGN_PUBLIC_URL: 'public_url',
  COUNTERSIGN_HTTP_HOST: 'http.host',
  COUNTERSIGN_HTTP_PORT: 'http.port',
  COUNTERSIGN_TLS_CERT: 'http.tls_cert',
  COUNTERSIGN_TLS_KEY: 'http.tls_key',
  COUNTERSIGN_TRUSTED_PROXIES: 'http.trusted_proxies',
  COUNTERSIGN_RADIUS_PORT: 'radius.port',
  COUNTERSIGN_METRICS_PORT: 'metrics.port',
  COUNTERSIGN_METRICS_TOKEN: 'metrics.token',
  COUNTERSIGN_LOG_LEVEL: 'log_level',
  COUNTERSIGN_MAIL_OUTBOX_DIR: 'mail.outbox_dir',
  COUNTERSIGN_ADMIN_EMAILS: 'alerts.admin_emails',
  COUNTERSIGN_SMTP_PASSWORD: 'mail.smtp.password',
  COUNTERSIGN_TWILIO_AUTH_TOKEN: 'telephony.twilio.auth_token',
  COUNTERSIGN_KANNEL_PASSWORD: 'telephony.kannel.password',
};

export class ConfigError extends Error {
  readonly errors: string[];
  constructor(errors: string[]) {
    super(`configuration is not valid:\n${errors.map((error) => `  - ${error}`).join('\n')}`);
    this.name = 'ConfigError';
    this.errors = errors;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/** Turns a schema error into Authelia-style wording: "must be one of ...", "must be 30 or more". */
function describeExpectation(schema: Record<string, unknown>, message: string): string {
  const choices = (schema.anyOf as Array<{ const?: unknown }> | undefined)?.map((option) => option.const);
  if (choices?.every((choice) => choice !== undefined)) return `must be one of ${choices.join(', ')}`;
  if (message.startsWith('Unexpected property')) return 'is not a known option';
  return `must satisfy: ${message.toLowerCase()}`;
}

/** The config file's name inside the data directory. */
export const CONFIG_FILE_NAME = 'countersign.toml';

/** Where the config file is: an explicit path, COUNTERSIGN_CONFIG, or <data_dir>/countersign.toml if present. */
export function configFilePath(explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (explicit) return explicit;
  if (env.COUNTERSIGN_CONFIG) return env.COUNTERSIGN_CONFIG;
  const candidate = join(env.COUNTERSIGN_DATA_DIR ?? './data', CONFIG_FILE_NAME);
  return existsSync(candidate) ? candidate : undefined;
}

/** Builds the configuration from `file` (TOML text), `env` and `overrides`; throws ConfigError listing every problem. */
export function buildConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  overrides: Record<string, unknown> = {},
): Readonly<Config> {
  const errors: string[] = [];
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    try {
      raw = parseToml(file) as Record<string, unknown>;
    } catch (error) {
      const { line, column, message } = error as { line?: number; column?: number; message: string };
      const where = line !== undefined ? ` at line ${line}, column ${column ?? 0}` : '';
      errors.push(`config file${where}: ${message.split('\n')[0]}`);
    }
  }
  for (const [name, path] of Object.entries(ENVIRONMENT)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const isList = path === 'http.trusted_proxies' || path === 'alerts.admin_emails';
    setPath(raw, path, isList ? value.split(',').map((v) => v.trim()) : value);
  }
  for (const [path, value] of Object.entries(overrides)) if (value !== undefined) setPath(raw, path, value);

  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const invalidSections = new Set<string>();
  for (const error of Value.Errors(ConfigSchema, withDefaults)) {
    const path = error.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    invalidSections.add(path.split('.')[0]!);
    errors.push(
      `option '${path}' ${describeExpectation(error.schema, error.message)} but it's configured as ${JSON.stringify(error.value)}`,
    );
  }
  const config = withDefaults as Config;
  if (Boolean(config.http?.tls_cert) !== Boolean(config.http?.tls_key)) {
    errors.push("option 'http.tls_cert' and 'http.tls_key' must be set together");
  }
  if (config.http?.headers_timeout_ms > config.http?.request_timeout_ms) {
    errors.push(
      `option 'http.headers_timeout_ms' must not exceed 'http.request_timeout_ms' (${config.http.request_timeout_ms}) but it's configured as ${config.http.headers_timeout_ms}`,
    );
  }
  for (const entry of Array.isArray(config.http?.trusted_proxies) ? config.http.trusted_proxies : []) {
    if (!isAddressRange(entry)) {
      errors.push(
        `option 'http.trusted_proxies' must list addresses, CIDRs, loopback, linklocal or uniquelocal but it has ${JSON.stringify(entry)}`,
      );
    }
  }
  // These read a whole section, so only one that matches the schema (its own errors are listed above).
  if (!invalidSections.has('mail')) errors.push(...mailConfigErrors(config.mail));
  if (!invalidSections.has('telephony') && !invalidSections.has('public_url'))
    errors.push(...telephonyConfigErrors(config.telephony, config.public_url));
  if (config.oidc?.retired_key_hours * 60 < config.oidc?.id_token_minutes) {
    errors.push(
      `option 'oidc.retired_key_hours' must cover 'oidc.id_token_minutes' (${config.oidc.id_token_minutes} minutes) but it's configured as ${config.oidc.retired_key_hours}`,
    );
  }
  if (errors.length > 0) throw new ConfigError(errors);
  config.data_dir = resolve(config.data_dir);
  return Object.freeze(config);
}

/** Loads the configuration the way `countersign serve` does. */
export function loadConfig(
  options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {},
): Readonly<Config> {
  const env = options.env ?? process.env;
  const path = configFilePath(options.file, env);
  let text: string | undefined;
  if (path !== undefined) {
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new ConfigError([`config file '${path}' cannot be read`]);
    }
  }
  return buildConfig(text, env, options.overrides);
}

/** The key file path: configured, or inside the data directory. */
export function keyFilePath(config: Config): string {
  return config.master_key_file ?? join(config.data_dir, 'master.key');
}

/** The mail outbox: configured, or inside the data directory. */
export function outboxDir(config: Config): string {
  return config.mail.outbox_dir ?? join(config.data_dir, 'outbox');
}

/** The URL users reach: configured, or derived from the HTTP listener. */
export function publicUrl(config: Config, boundPort?: number): string {
  if (config.public_url) return config.public_url.replace(/\/$/, '');
  const scheme = config.http.tls_cert ? 'https' : 'http';
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
  return `${scheme}://${host}:${boundPort ?? config.http.port}`;
}

/** The SAML signing key and certificate files: configured, or inside the data directory. */
export function samlKeyFiles(config: Config): { keyFile: string; certFile: string } {
  return {
    keyFile: config.saml.key_file ?? join(config.data_dir, 'saml-signing.key'),
    certFile: config.saml.cert_file ?? join(config.data_dir, 'saml-signing.crt'),
  };
}
