// Configuration: defaults, a TOML file overridden by environment variables, every error reported at once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { buildConfig, ConfigError, keyFilePath, loadConfig, publicUrl } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'countersign-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The errors buildConfig reports for `toml` and `env`; fails the test when it reports none. */
function errorsOf(toml: string | undefined, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    buildConfig(toml, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.errors;
  }
  assert.fail('expected the configuration to be rejected');
}

test('defaults: an empty configuration is valid and complete', () => {
  const config = buildConfig(undefined, {});
  assert.equal(config.data_dir, resolve('./data'));
  assert.equal(config.organization, 'Countersign');
  assert.deepEqual(
    { host: config.http.host, port: config.http.port, proxies: config.http.trusted_proxies },
    { host: '127.0.0.1', port: 8080, proxies: [] },
  );
  assert.equal(config.auth_api.clock_skew_seconds, 300);
  assert.deepEqual(config.radius, { enabled: true, host: '127.0.0.1', port: 1812 });
  assert.equal(config.log_level, 'info');
  assert.equal(config.database_url, undefined);
  assert.equal(keyFilePath(config), join(resolve('./data'), 'master.key'));
  assert.equal(publicUrl(config), 'http://127.0.0.1:8080');
  assert.ok(Object.isFrozen(config));
});

test('a TOML file is read, and environment variables override it', () => {
  const file = join(dir, 'countersign.toml');
  writeFileSync(
    file,
    [
      `data_dir = ${JSON.stringify(join(dir, 'data'))}`,
      'organization = "Example Corp"',
      'log_level = "debug"',
      '[http]',
      'port = 9000',
      'trusted_proxies = ["10.0.0.1"]',
      '[radius]',
      'enabled = false',
    ].join('\n'),
  );
  const config = loadConfig({
    file,
    env: {
      COUNTERSIGN_HTTP_PORT: '9443',
      COUNTERSIGN_TRUSTED_PROXIES: '10.0.0.2, 10.0.0.0/8',
      COUNTERSIGN_PUBLIC_URL: 'https://mfa.example.test/',
      COUNTERSIGN_ORGANIZATION: '',
    },
  });
  assert.equal(config.data_dir, join(dir, 'data'));
  assert.equal(config.organization, 'Example Corp', 'an empty variable does not override');
  assert.equal(config.log_level, 'debug');
  assert.equal(config.http.port, 9443);
  assert.deepEqual(config.http.trusted_proxies, ['10.0.0.2', '10.0.0.0/8']);
  assert.equal(config.radius.enabled, false);
  assert.equal(publicUrl(config), 'https://mfa.example.test');
});

test('the file is found through COUNTERSIGN_CONFIG; an unreadable file is a ConfigError naming it', () => {
  const file = join(dir, 'env.toml');
  writeFileSync(file, 'organization = "From env"\n');
  assert.equal(loadConfig({ env: { COUNTERSIGN_CONFIG: file } }).organization, 'From env');
  const missing = join(dir, 'absent.toml');
  assert.throws(
    () => loadConfig({ file: missing }),
    (error) => error instanceof ConfigError && error.errors[0] === `config file '${missing}' cannot be read`,
  );
});

test('several errors are reported at once, Authelia-style', () => {
  const errors = errorsOf('log_level = "loud"\nbogus = 1\n[http]\nport = 70000\n', {
    COUNTERSIGN_RADIUS_PORT: 'abc',
  });
  assert.equal(errors.length, 4);
  assert.ok(errors.includes("option 'bogus' is not a known option but it's configured as 1"));
  assert.ok(
    errors.includes(
      `option 'log_level' must be one of fatal, error, warn, info, debug, trace, silent but it's configured as "loud"`,
    ),
  );
  assert.ok(errors.some((e) => /^option 'http\.port' must .*65535 but it's configured as 70000$/.test(e)));
  assert.ok(errors.some((e) => /^option 'radius\.port' must .* but it's configured as "abc"$/.test(e)));
});

test('the ConfigError message lists every error on its own line', () => {
  const error = (() => {
    try {
      buildConfig('log_level = "loud"\n[http]\nport = -1\n', {});
    } catch (caught) {
      return caught as Error;
    }
  })();
  assert.ok(error instanceof ConfigError);
  assert.match(error.message, /^configuration is not valid:\n {2}- option [^\n]+\n {2}- option [^\n]+$/);
});

test('tls_cert without tls_key (and the reverse) is refused', () => {
  const message = "option 'http.tls_cert' and 'http.tls_key' must be set together";
  assert.deepEqual(errorsOf('[http]\ntls_cert = "cert.pem"\n'), [message]);
  assert.deepEqual(errorsOf(undefined, { COUNTERSIGN_TLS_KEY: 'key.pem' }), [message]);
  const both = buildConfig('[http]\ntls_cert = "c.pem"\ntls_key = "k.pem"\n', {});
  assert.equal(publicUrl(both), 'https://127.0.0.1:8080');
});

test('bad URLs are refused with the option named', () => {
  const [error] = errorsOf(undefined, { COUNTERSIGN_DATABASE_URL: 'mysql://db' });
  assert.match(error ?? '', /^option 'database_url' .* but it's configured as "mysql:\/\/db"$/);
});

test('a TOML syntax error is reported as a config file error', () => {
  const [error] = errorsOf('organization = "x"\nport = = 1\n');
  assert.match(error ?? '', /^config file( at line \d+, column \d+)?: /);
});

test('a TOML syntax error names its line', () => {
  const [error] = errorsOf('organization = "x"\nport = = 1\n');
  assert.match(error ?? '', /line 2/);
});

test('HTTP limits and the metrics listener have documented defaults; ports and the token come from the environment', () => {
  const config = buildConfig(undefined, {
    COUNTERSIGN_METRICS_PORT: '0',
    COUNTERSIGN_METRICS_TOKEN: 'a'.repeat(16),
  });
  assert.deepEqual(
    {
      headers: config.http.headers_timeout_ms,
      request: config.http.request_timeout_ms,
      keepAlive: config.http.keep_alive_timeout_ms,
      check: config.http.connections_check_interval_ms,
      total: config.http.max_connections,
      perAddress: config.http.max_connections_per_address,
    },
    { headers: 10_000, request: 30_000, keepAlive: 72_000, check: 1_000, total: 50_000, perAddress: 2_000 },
  );
  assert.deepEqual(config.metrics, { enabled: true, host: '127.0.0.1', port: 0, token: 'a'.repeat(16) });
  assert.equal(buildConfig(undefined, {}).metrics.port, 9464);
  assert.equal(buildConfig(undefined, {}).metrics.token, undefined);
});

test('headers_timeout_ms above request_timeout_ms, a short metrics token and a malformed proxy are refused', () => {
  const errors = errorsOf(
    '[http]\nheaders_timeout_ms = 20000\nrequest_timeout_ms = 10000\ntrusted_proxies = ["10.0.0.0/8", "10.0.0.0/33", "proxy.example.org", "loopback"]\n[metrics]\ntoken = "short"\n',
  );
  assert.equal(errors.length, 4, errors.join('\n'));
  assert.ok(
    errors.includes(
      "option 'http.headers_timeout_ms' must not exceed 'http.request_timeout_ms' (10000) but it's configured as 20000",
    ),
  );
  for (const bad of ['10.0.0.0/33', 'proxy.example.org'])
    assert.ok(
      errors.includes(
        `option 'http.trusted_proxies' must list addresses, CIDRs, loopback, linklocal or uniquelocal but it has "${bad}"`,
      ),
    );
  assert.ok(errors.some((e) => /^option 'metrics\.token' must .* but it's configured as "short"$/.test(e)));
});

test('issue 13: telephony is off and mail goes to the outbox by default', () => {
  const config = buildConfig(undefined, {});
  assert.equal(config.telephony.enabled, false);
  assert.equal(config.telephony.provider, 'outbox');
  assert.deepEqual(
    {
      sms: config.telephony.sms_credits,
      minute: config.telephony.call_credits_per_minute,
      limit: config.telephony.call_time_limit_seconds,
      budget: config.telephony.daily_credit_budget,
      user: config.telephony.per_user_per_hour,
      all: config.telephony.global_per_minute,
    },
    { sms: 1, minute: 1, limit: 60, budget: 1_000, user: 10, all: 60 },
  );
  assert.equal(config.mail.transport, 'outbox');
  assert.deepEqual(
    { port: config.mail.smtp.port, security: config.mail.smtp.security, pool: config.mail.smtp.pool },
    { port: 587, security: 'starttls', pool: true },
  );
});

test('issue 13: each telephony provider names what it still needs, all at once', () => {
  assert.deepEqual(errorsOf('[telephony]\nenabled = true\nprovider = "twilio"\n'), [
    "option 'telephony.twilio.account_sid' must be set when telephony.provider is 'twilio'",
    "option 'telephony.twilio.auth_token' must be set when telephony.provider is 'twilio'",
    "option 'telephony.twilio.from' must be set when telephony.provider is 'twilio'",
    "option 'telephony.callback_url' (or 'public_url') must be set when telephony.provider is 'twilio': Twilio reports keypresses and delivery to it",
  ]);
  assert.deepEqual(
    errorsOf('[telephony]\nenabled = true\nprovider = "kannel"\n[telephony.kannel]\nusername = "u"\n'),
    ["option 'telephony.kannel.password' must be set when telephony.provider is 'kannel'"],
  );
  assert.deepEqual(errorsOf('[telephony]\nenabled = true\nprovider = "webhook"\n'), [
    "option 'telephony.webhook.url' must be set when telephony.provider is 'webhook'",
  ]);
  // Switched off, a half-configured provider is no error (an administrator may prepare it first).
  assert.equal(buildConfig('[telephony]\nprovider = "twilio"\n', {}).telephony.enabled, false);
  const [sid] = errorsOf('[telephony.twilio]\naccount_sid = "not-a-sid"\nfrom = "5551234"\n');
  assert.match(
    sid ?? '',
    /^option 'telephony\.twilio\.account_sid' must .* but it's configured as "not-a-sid"$/,
  );
});

test('issue 13: secrets come from the environment; a complete Twilio setup is accepted', () => {
  const config = buildConfig(
    [
      'public_url = "https://mfa.example.org"',
      '[telephony]',
      'enabled = true',
      'provider = "twilio"',
      '[telephony.twilio]',
      `account_sid = "AC${'0123456789abcdef'.repeat(2)}"`,
      'from = "+15005550006"',
    ].join('\n'),
    {
      COUNTERSIGN_TWILIO_AUTH_TOKEN: 'twilio-token',
      COUNTERSIGN_KANNEL_PASSWORD: 'kannel-pw',
      COUNTERSIGN_SMTP_PASSWORD: 'smtp-pw',
    },
  );
  assert.equal(config.telephony.twilio.auth_token, 'twilio-token');
  assert.equal(config.telephony.kannel.password, 'kannel-pw');
  assert.equal(config.mail.smtp.password, 'smtp-pw');
});

test('issue 13: SMTP needs a host, never sends a password in the clear to another host, and 587 is STARTTLS', () => {
  assert.deepEqual(errorsOf('[mail]\ntransport = "smtp"\n'), [
    "option 'mail.smtp.host' must be set when mail.transport is 'smtp'",
  ]);
  assert.deepEqual(
    errorsOf('[mail]\ntransport = "smtp"\n[mail.smtp]\nhost = "smtp.example.org"\nsecurity = "none"\n'),
    [
      `option 'mail.smtp.security' must be 'starttls' or 'tls' for a server on another host but it's configured as "none" (host "smtp.example.org")`,
    ],
  );
  assert.deepEqual(
    errorsOf('[mail]\ntransport = "smtp"\n[mail.smtp]\nhost = "smtp.example.org"\nsecurity = "tls"\n'),
    [
      "option 'mail.smtp.port' is 587, which speaks STARTTLS: use security = 'starttls', or port 465 for 'tls'",
    ],
  );
  const local = buildConfig(
    '[mail]\ntransport = "smtp"\n[mail.smtp]\nhost = "localhost"\nport = 25\nsecurity = "none"\n',
    {},
  );
  assert.equal(local.mail.smtp.security, 'none', 'a relay on this machine may be plain');
  // Schema errors and cross-checks of other sections are reported together.
  const errors = errorsOf('log_level = "loud"\n[mail]\ntransport = "smtp"\n');
  assert.equal(errors.length, 2, errors.join('\n'));
});
