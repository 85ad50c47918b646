// Twilio: our webhook signatures checked against Twilio's own `twilio` package both ways, signed callbacks
// through a real HTTP endpoint, and the REST calls as Twilio's API would receive them (compared with twilio's client).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import twilio from 'twilio';
import type { CallReply } from '../../src/telephony/call-script.ts';
import type { TelephonyEvent } from '../../src/telephony/provider.ts';
import {
  formParams,
  type TwilioParams,
  twilioSignature,
  verifyTwilioSignature,
} from '../../src/telephony/twilio/signature.ts';
import {
  TWILIO_WEBHOOK_PATHS,
  type TwilioSettings,
  twilioProvider,
} from '../../src/telephony/twilio/twilio-provider.ts';
import { gatherTwiml, replyTwiml } from '../../src/telephony/twilio/twiml.ts';
import { handleTwilioWebhook } from '../../src/telephony/twilio/webhooks.ts';

const AUTH_TOKEN = '12345678901234567890123456789012';
const ACCOUNT_SID = `AC${'a1b2c3d4'.repeat(4)}`;

describe('issue 13: Twilio request signatures against the twilio package', () => {
  const param = fc.string({ unit: 'grapheme', maxLength: 12 });
  const params = fc.dictionary(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/),
    fc.oneof(param, fc.array(param, { minLength: 1, maxLength: 3 })),
    { maxKeys: 8 },
  );
  const url = fc
    .tuple(
      fc.constantFrom('https://mfa.example.org', 'https://mfa.example.org:8443', 'http://127.0.0.1:9000'),
      fc.constantFrom(...Object.values(TWILIO_WEBHOOK_PATHS)),
      fc.stringMatching(/^[A-Z0-9]{1,20}$/),
    )
    .map(([base, path, id]) => `${base}${path}?id=${id}`);

  test('our signature is the one twilio.getExpectedTwilioSignature computes, and each side accepts the other', () => {
    fc.assert(
      fc.property(url, params, (href, fields) => {
        const ours = twilioSignature(AUTH_TOKEN, href, fields);
        const theirs = twilio.getExpectedTwilioSignature(AUTH_TOKEN, href, fields as Record<string, string>);
        assert.equal(ours, theirs);
        assert.ok(twilio.validateRequest(AUTH_TOKEN, ours, href, fields as Record<string, string>));
        assert.ok(verifyTwilioSignature(AUTH_TOKEN, theirs, href, fields));
      }),
      { numRuns: 300 },
    );
  });

  test('a changed field, URL, token or a missing header fails on both sides', () => {
    const href = `https://mfa.example.org${TWILIO_WEBHOOK_PATHS.gather}?id=TLAAAA`;
    const fields = { CallSid: 'CA1', Digits: '1', AccountSid: ACCOUNT_SID };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, href, fields);
    const cases: Array<[string, string | undefined, string, TwilioParams]> = [
      ['digit changed', signature, href, { ...fields, Digits: '9' }],
      ['field added', signature, href, { ...fields, Extra: '' }],
      ['id swapped', signature, href.replace('TLAAAA', 'TLBBBB'), fields],
      ['other token', twilio.getExpectedTwilioSignature('0'.repeat(32), href, fields), href, fields],
      ['no header', undefined, href, fields],
      ['truncated', signature.slice(0, -2), href, fields],
    ];
    for (const [name, given, where, what] of cases) {
      assert.equal(verifyTwilioSignature(AUTH_TOKEN, given, where, what), false, name);
      assert.equal(
        twilio.validateRequest(AUTH_TOKEN, given ?? '', where, what as Record<string, string>),
        false,
        `${name} (twilio)`,
      );
    }
    assert.ok(verifyTwilioSignature(AUTH_TOKEN, signature, href, fields));
  });

  test('a URL signed with or without its default port verifies either way, as in twilio.validateRequest', () => {
    const fields = { CallStatus: 'completed' };
    for (const [signed, received] of [
      [
        'https://mfa.example.org:443/telephony/twilio/call-status?id=X',
        'https://mfa.example.org/telephony/twilio/call-status?id=X',
      ],
      [
        'https://mfa.example.org/telephony/twilio/call-status?id=X',
        'https://mfa.example.org:443/telephony/twilio/call-status?id=X',
      ],
      [
        'http://mfa.example.org:80/telephony/twilio/call-status?id=X',
        'http://mfa.example.org/telephony/twilio/call-status?id=X',
      ],
    ] as const) {
      const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, signed, fields);
      assert.ok(verifyTwilioSignature(AUTH_TOKEN, signature, received, fields), `${signed} → ${received}`);
      assert.ok(twilio.validateRequest(AUTH_TOKEN, signature, received, fields));
    }
    // Another port is another URL.
    const elsewhere = twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      'https://mfa.example.org:8443/x?id=X',
      fields,
    );
    assert.equal(
      verifyTwilioSignature(AUTH_TOKEN, elsewhere, 'https://mfa.example.org/x?id=X', fields),
      false,
    );
  });

  test('formParams keeps repeated fields as lists, as Twilio signs them', () => {
    assert.deepEqual(formParams('a=1&b=x+y&a=2&c=%E2%9C%93'), { a: ['1', '2'], b: 'x y', c: '✓' });
  });
});

/** Serves `handleTwilioWebhook` as a front will: the public base plus the path and query exactly as received. */
async function startCallbackServer(
  onEvent: (event: TelephonyEvent) => Promise<CallReply | undefined>,
): Promise<{ base: string; server: Server }> {
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const reply = await handleTwilioWebhook(
        { authToken: AUTH_TOKEN, language: 'en-US' },
        {
          url: `${base}${request.url}`,
          signature: request.headers['x-twilio-signature'] as string | undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        },
        onEvent,
      );
      response.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, server };
}

describe('issue 13: Twilio callbacks signed by the twilio package, through an HTTP endpoint', () => {
  const events: TelephonyEvent[] = [];
  let reply: CallReply | undefined;
  let base: string;
  let server: Server;
  before(async () => {
    ({ base, server } = await startCallbackServer(async (event) => {
      events.push(event);
      return reply;
    }));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** POSTs `fields` to `path` as Twilio does, signed with `token` by twilio's own helper. */
  async function callback(path: string, fields: Record<string, string>, token = AUTH_TOKEN) {
    const url = `${base}${path}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, fields),
      },
      body: new URLSearchParams(fields),
    });
    return { status: response.status, body: await response.text() };
  }

  test('the keypress: 1 approves, 9 reports fraud, and the call says so', async () => {
    events.length = 0;
    const one = await callback(`${TWILIO_WEBHOOK_PATHS.gather}?id=TL1`, { CallSid: 'CA1', Digits: '1' });
    assert.equal(one.status, 200);
    assert.equal(one.body, replyTwiml('approve', 'en-US'));
    const nine = await callback(`${TWILIO_WEBHOOK_PATHS.gather}?id=TL2`, { CallSid: 'CA2', Digits: '9' });
    assert.equal(nine.body, replyTwiml('fraud', 'en-US'));
    assert.match(nine.body, /denied and reported/);
    const five = await callback(`${TWILIO_WEBHOOK_PATHS.gather}?id=TL3`, { CallSid: 'CA3', Digits: '5' });
    assert.equal(five.body, replyTwiml('other', 'en-US'));
    assert.deepEqual(events, [
      { type: 'keypress', callId: 'TL1', providerRef: 'CA1', digit: '1', outcome: 'approve' },
      { type: 'keypress', callId: 'TL2', providerRef: 'CA2', digit: '9', outcome: 'fraud' },
      { type: 'keypress', callId: 'TL3', providerRef: 'CA3', digit: '5', outcome: 'other' },
    ]);
  });

  test('the core decides what the call says last (a sign-in that already ended)', async () => {
    reply = 'ended';
    try {
      const late = await callback(`${TWILIO_WEBHOOK_PATHS.gather}?id=TL4`, { CallSid: 'CA4', Digits: '1' });
      assert.equal(late.body, replyTwiml('ended', 'en-US'));
    } finally {
      reply = undefined;
    }
  });

  test('forged, tampered and unsigned callbacks get 403 and reach no one', async () => {
    events.length = 0;
    const forged = await callback(`${TWILIO_WEBHOOK_PATHS.gather}?id=TL5`, { Digits: '1' }, 'f'.repeat(32));
    assert.equal(forged.status, 403);
    const url = `${base}${TWILIO_WEBHOOK_PATHS.gather}?id=TL6`;
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, { Digits: '9' });
    const tampered = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: 'Digits=1',
    });
    assert.equal(tampered.status, 403);
    const moved = await fetch(url.replace('TL6', 'TL7'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: 'Digits=9',
    });
    assert.equal(moved.status, 403, 'a signature for one call does not answer another');
    const unsigned = await fetch(url, { method: 'POST', body: 'Digits=1' });
    assert.equal(unsigned.status, 403);
    assert.deepEqual(events, []);
  });

  test('call and message status callbacks become events; calls still ringing do not', async () => {
    events.length = 0;
    const done = await callback(`${TWILIO_WEBHOOK_PATHS.callStatus}?id=TL8`, {
      CallSid: 'CA8',
      CallStatus: 'completed',
      CallDuration: '17',
    });
    assert.deepEqual(done, { status: 200, body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' });
    await callback(`${TWILIO_WEBHOOK_PATHS.callStatus}?id=TL9`, { CallSid: 'CA9', CallStatus: 'ringing' });
    await callback(`${TWILIO_WEBHOOK_PATHS.callStatus}?id=TL10`, {
      CallSid: 'CA10',
      CallStatus: 'no-answer',
    });
    await callback(`${TWILIO_WEBHOOK_PATHS.smsStatus}?id=TL11`, {
      MessageSid: 'SM11',
      MessageStatus: 'delivered',
    });
    await callback(`${TWILIO_WEBHOOK_PATHS.smsStatus}?id=TL12`, {
      MessageSid: 'SM12',
      MessageStatus: 'sending',
    });
    assert.deepEqual(events, [
      { type: 'call-status', callId: 'TL8', providerRef: 'CA8', status: 'completed', durationSeconds: 17 },
      {
        type: 'call-status',
        callId: 'TL10',
        providerRef: 'CA10',
        status: 'no-answer',
        durationSeconds: null,
      },
      { type: 'sms-status', messageId: 'TL11', providerRef: 'SM11', status: 'delivered' },
    ]);
  });

  test('a gather without a digit says so; unknown paths and a missing id are refused', async () => {
    events.length = 0;
    const silent = await callback(`${TWILIO_WEBHOOK_PATHS.gather}?id=TL13`, { CallSid: 'CA13' });
    assert.equal(silent.body, replyTwiml('none', 'en-US'));
    assert.equal((await callback('/telephony/twilio/other?id=TL14', { Digits: '1' })).status, 404);
    assert.equal((await callback(TWILIO_WEBHOOK_PATHS.gather, { Digits: '1' })).status, 400);
    assert.deepEqual(events, []);
  });
});

/** A port nothing listens on (opened, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One request as Twilio's API would receive it. */
interface ApiRequest {
  method: string;
  path: string;
  username: string;
  password: string;
  contentType: string | undefined;
  fields: Record<string, string>;
}

describe("issue 13: Twilio's REST API as it would receive our requests", () => {
  const received: ApiRequest[] = [];
  let answer: { status: number; body: unknown } = { status: 201, body: { sid: 'SM0001' } };
  let api: Server;
  let settings: TwilioSettings;
  before(async () => {
    api = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
        const [username = '', password = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
        received.push({
          method: request.method ?? '',
          path: request.url ?? '',
          username,
          password,
          contentType: request.headers['content-type'],
          fields: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
        });
        response
          .writeHead(answer.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    settings = {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: '+15005550006',
      apiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
      language: 'en-GB',
      callbackBase: 'https://mfa.example.org',
      callTimeLimitSeconds: 90,
      timeoutMs: 5_000,
    };
  });
  after(() => new Promise<void>((resolve) => api.close(() => resolve())));

  /** What twilio's own client sends for the same call, captured through its httpClient option. */
  async function twilioClientRequest(send: (client: ReturnType<typeof twilio>) => Promise<unknown>) {
    const captured: Array<{ method: string; uri: string; username: string; password: string; data: object }> =
      [];
    const client = twilio(ACCOUNT_SID, AUTH_TOKEN, {
      httpClient: {
        request: async (options: (typeof captured)[number]) => {
          captured.push(options);
          return { statusCode: 201, body: { sid: 'X' }, headers: {} };
        },
      } as never,
    });
    await send(client);
    const [request] = captured;
    assert.ok(request);
    return {
      method: request.method.toUpperCase(),
      path: new URL(request.uri).pathname,
      username: request.username,
      password: request.password,
      fields: Object.fromEntries(Object.entries(request.data).map(([k, v]) => [k, String(v)])),
    };
  }

  test('an SMS is POSTed to Messages.json with Basic auth and the fields twilio.messages.create sends', async () => {
    received.length = 0;
    answer = { status: 201, body: { sid: 'SM0001', status: 'queued' } };
    const provider = twilioProvider(settings);
    const receipt = await provider.sendSms({ id: 'TLSMS1', to: '+15551234567', text: 'Code: 1234567 ✓' });
    assert.deepEqual(receipt, { providerRef: 'SM0001' });
    const [request] = received;
    assert.ok(request);
    assert.equal(request.contentType, 'application/x-www-form-urlencoded');
    const expected = await twilioClientRequest((client) =>
      client.messages.create({
        to: '+15551234567',
        from: '+15005550006',
        body: 'Code: 1234567 ✓',
        statusCallback: 'https://mfa.example.org/telephony/twilio/sms-status?id=TLSMS1',
      }),
    );
    const { contentType: _, ...comparable } = request;
    assert.deepEqual(comparable, expected);
    assert.equal(request.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
  });

  test('a call is POSTed to Calls.json with TwiML gathering one digit, as twilio.calls.create sends it', async () => {
    received.length = 0;
    answer = { status: 201, body: { sid: 'CA0001', status: 'queued' } };
    const provider = twilioProvider(settings);
    const script = { organization: 'Example & Sons', application: 'VPN <prod>' };
    assert.deepEqual(await provider.placeCall({ id: 'TLCALL1', to: '+15551234567', script }), {
      providerRef: 'CA0001',
    });
    const [request] = received;
    assert.ok(request);
    const expected = await twilioClientRequest((client) =>
      client.calls.create({
        to: '+15551234567',
        from: '+15005550006',
        twiml: gatherTwiml(script, 'https://mfa.example.org/telephony/twilio/gather?id=TLCALL1', 'en-GB'),
        statusCallback: 'https://mfa.example.org/telephony/twilio/call-status?id=TLCALL1',
        timeLimit: 90,
        timeout: 30,
      }),
    );
    const { contentType: _, ...comparable } = request;
    assert.deepEqual(comparable, expected);
  });

  test("the call's TwiML is what twilio's VoiceResponse builds: the organization, the application, 1 and 9", () => {
    const script = { organization: 'Example & Sons', application: 'VPN <prod>' };
    const action = 'https://mfa.example.org/telephony/twilio/gather?id=TL1&x=1';
    const response = new twilio.twiml.VoiceResponse();
    const gather = response.gather({ numDigits: 1, timeout: 10, action, method: 'POST' });
    gather.say(
      { language: 'en-GB', loop: 2 },
      'This is Example & Sons. Someone is signing in to VPN <prod> with your account. If it is you, press 1. If it is not you, press 9 to deny it and report it.',
    );
    response.say({ language: 'en-GB' }, 'No key was pressed. The sign-in was not approved. Goodbye.');
    response.hangup();
    assert.equal(gatherTwiml(script, action, 'en-GB'), response.toString());
    const approve = new twilio.twiml.VoiceResponse();
    approve.say({ language: 'en-GB' }, 'Thank you. The sign-in is approved. Goodbye.');
    approve.hangup();
    assert.equal(replyTwiml('approve', 'en-GB'), approve.toString());
  });

  test("Twilio's errors and an unreachable API become clear provider errors, without the token", async () => {
    answer = {
      status: 400,
      body: { code: 21211, message: "The 'To' number +1555 is not a valid phone number.", status: 400 },
    };
    const provider = twilioProvider(settings);
    await assert.rejects(provider.sendSms({ id: 'TL1', to: '+15551234567', text: 'x' }), (error: Error) => {
      assert.equal(error.name, 'TelephonyProviderError');
      assert.match(error.message, /twilio Messages: HTTP 400, error 21211: The 'To' number/);
      return true;
    });
    answer = { status: 201, body: { status: 'queued' } };
    await assert.rejects(provider.sendSms({ id: 'TL1', to: '+15551234567', text: 'x' }), /carries no sid/);
    const port = await closedPort();
    const closed = twilioProvider({ ...settings, apiUrl: `http://127.0.0.1:${port}` });
    await assert.rejects(
      closed.placeCall({ id: 'TL1', to: '+15551234567', script: { organization: 'o', application: 'a' } }),
      (error: Error) => {
        assert.match(
          error.message,
          new RegExp(`twilio: http://127.0.0.1:${port}/2010-04-01/.*unreachable: ECONNREFUSED`),
        );
        assert.doesNotMatch(error.message, new RegExp(AUTH_TOKEN));
        return true;
      },
    );
  });
});
