// The generic HTTP webhook: the operator's body template filled safely for JSON, form and text, headers sent,
// calls reporting their keypress to a signed callback URL; bad templates refused when the configuration loads.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildConfig, ConfigError } from '../../src/config.ts';
import { manualClock } from '../../src/core/clock.ts';
import { createProvider } from '../../src/telephony/create-provider.ts';
import { WEBHOOK_CALLBACK_PATH, webhookKeypress } from '../../src/telephony/webhook/webhook-provider.ts';

const SECRET = 'a-callback-secret-of-32-characters!!';
const NASTY = 'Code 1234567 "quoted" \\ back\nline & more=1 {{to}} ✓';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('issue 13: telephony through a generic HTTP webhook', () => {
  const received: Received[] = [];
  let status = 200;
  let gateway: Server;
  let url: string;
  before(async () => {
    gateway = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(status).end(status < 300 ? '{"queued":true}' : 'rate limited by the gateway');
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send?route=mfa`;
  });
  after(() => new Promise<void>((resolve) => gateway.close(() => resolve())));

  /** The webhook provider from `[telephony.webhook]` lines. */
  function provider(lines: string[], top: string[] = []) {
    const config = buildConfig(
      [
        'public_url = "https://mfa.example.org"',
        ...top,
        '[telephony]',
        'enabled = true',
        'provider = "webhook"',
        '[telephony.webhook]',
        `url = ${JSON.stringify(url)}`,
        ...lines,
      ].join('\n'),
      {},
    );
    const made = createProvider({ config, clock: manualClock(0) });
    assert.ok(made);
    return made;
  }

  test('JSON: the default body carries to, text and id, escaped inside their strings; headers are sent', async () => {
    received.length = 0;
    const webhook = provider(['[telephony.webhook.headers]', 'Authorization = "Bearer gateway-token"']);
    assert.equal(webhook.canCall, false, 'no call_body: no calls');
    await webhook.sendSms({ id: 'TL1', to: '+15551234567', text: NASTY });
    const [request] = received;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/send?route=mfa');
    assert.equal(request.headers.authorization, 'Bearer gateway-token');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), { to: '+15551234567', text: NASTY, id: 'TL1' });
  });

  test('form: each value URL-encoded, so a value cannot add a field', async () => {
    received.length = 0;
    const webhook = provider([
      'content_type = "form"',
      "sms_body = 'number={{to}}&message={{text}}&ref={{id}}'",
    ]);
    await webhook.sendSms({ id: 'TL2', to: '+15551234567', text: NASTY });
    const [request] = received;
    assert.equal(request?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request?.body)), {
      number: '+15551234567',
      message: NASTY,
      ref: 'TL2',
    });
  });

  test('text: values as they are', async () => {
    received.length = 0;
    const webhook = provider(['content_type = "text"', "sms_body = 'SEND {{to}}: {{text}}'"]);
    await webhook.sendSms({ id: 'TL3', to: '+15551234567', text: 'Code 7654321' });
    assert.equal(received[0]?.body, 'SEND +15551234567: Code 7654321');
    assert.equal(received[0]?.headers['content-type'], 'text/plain; charset=utf-8');
  });

  test('a call names the organization and application, and its keypress comes back through a signed URL', async () => {
    received.length = 0;
    const webhook = provider([
      `call_body = '{"to": "{{to}}", "say": "{{text}}", "org": "{{organization}}", "app": "{{application}}", "callback": "{{callback_url}}"}'`,
      `callback_secret = "${SECRET}"`,
    ]);
    assert.equal(webhook.canCall, true);
    await webhook.placeCall({
      id: 'TLCALL',
      to: '+15551234567',
      script: { organization: 'Example "Corp"', application: 'VPN' },
    });
    const body = JSON.parse(received[0]!.body) as Record<string, string>;
    assert.equal(body.org, 'Example "Corp"');
    assert.equal(body.app, 'VPN');
    assert.match(body.say!, /^This is Example "Corp"\. Someone is signing in to VPN .* press 1\. .* press 9/);
    const callback = new URL(body.callback!);
    assert.equal(`${callback.origin}${callback.pathname}`, `https://mfa.example.org${WEBHOOK_CALLBACK_PATH}`);
    const query = Object.fromEntries(callback.searchParams) as { id: string; token: string };
    assert.equal(query.id, 'TLCALL');
    assert.deepEqual(webhookKeypress(SECRET, query, '9'), {
      type: 'keypress',
      callId: 'TLCALL',
      providerRef: null,
      digit: '9',
      outcome: 'fraud',
    });
    assert.equal(webhookKeypress(SECRET, query, '1')?.outcome, 'approve');
    assert.equal(
      webhookKeypress(SECRET, { ...query, id: 'TLOTHER' }, '1'),
      null,
      'a token answers one call only',
    );
    const changed = `${query.token.slice(0, -1)}${query.token.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(webhookKeypress(SECRET, { ...query, token: changed }, '1'), null);
    assert.equal(webhookKeypress('another-secret-of-32-characters!!!!', query, '1'), null);
    assert.equal(webhookKeypress(SECRET, { id: 'TLCALL' }, '1'), null);
  });

  test('a refusing gateway is a provider error naming the status (and not the query)', async () => {
    status = 429;
    try {
      await assert.rejects(
        provider([]).sendSms({ id: 'TL4', to: '+15551234567', text: 'x' }),
        (error: Error) => {
          assert.equal(error.name, 'TelephonyProviderError');
          assert.match(
            error.message,
            /webhook sms: http:\/\/127\.0\.0\.1:\d+\/send answered HTTP 429: rate limited/,
          );
          assert.doesNotMatch(error.message, /route=mfa/);
          return true;
        },
      );
    } finally {
      status = 200;
    }
  });

  test('templates that cannot be filled safely are refused when the configuration loads', () => {
    const errorsOf = (lines: string[]) => {
      try {
        provider(lines);
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.errors.join('\n');
      }
      assert.fail('expected a ConfigError');
    };
    assert.match(
      errorsOf(['sms_body = \'{"to": "{{phone}}"}\'']),
      /unknown placeholder \{\{phone\}\}; known: to, text, id/,
    );
    assert.match(errorsOf(['sms_body = \'{"to": {{to}}}\'']), /sms_body is not JSON once filled in/);
    assert.match(errorsOf(['sms_body = \'{"to": "{{ to.length }}"}\'']), /must open a placeholder/);
    assert.match(
      errorsOf(['[telephony.webhook.headers]', '"Content-Length" = "1"']),
      /'Content-Length' is set by Countersign/,
    );
    assert.match(errorsOf(['[telephony.webhook.headers]', '"X-Token" = "a\\nb"']), /must be one line/);
    assert.match(
      errorsOf([`call_body = '{"to": "{{to}}", "cb": "{{callback_url}}"}'`]),
      /telephony\.webhook\.callback_secret' must be set when telephony\.webhook\.call_body is/,
    );
  });
});
