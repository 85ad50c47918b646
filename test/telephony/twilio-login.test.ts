// Issue 13: sign-in calls through the Twilio provider, answered by callbacks signed with the twilio package's own
// helper and posted to our HTTP routes (behind a public URL, as through a reverse proxy): 1 approves, 9 reports
// fraud, a bad signature changes nothing, a call that ends unanswered denies, and the daily budget refuses calls.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import twilio from 'twilio';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { confirmPhone, sendPhoneConfirmation } from '../../src/core/enrollment/phone-number.ts';
import type { User } from '../../src/core/model.ts';
import { TWILIO_WEBHOOK_PATHS } from '../../src/telephony/twilio/twilio-provider.ts';
import { createTestApp, createTestUser, startTestServer, type TestServer } from '../support/server.ts';

const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
/** The public URL Twilio is given; a proxy in front of Countersign would forward it to the test server. */
const PUBLIC = 'https://mfa.example.org';

/** What Twilio's REST API received, answered as Twilio does (201 and a sid). */
interface Recorded {
  resource: 'Messages' | 'Calls';
  fields: URLSearchParams;
}

async function startTwilioApi(): Promise<{ url: string; recorded: Recorded[]; server: Server }> {
  const recorded: Recorded[] = [];
  let serial = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = /\/Accounts\/[^/]+\/(Messages|Calls)\.json$/.exec(request.url ?? '');
      if (!match) return response.writeHead(404).end();
      const resource = match[1] as Recorded['resource'];
      recorded.push({ resource, fields: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) });
      const sid = `${resource === 'Calls' ? 'CA' : 'SM'}${String(++serial).padStart(32, '0')}`;
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, recorded, server };
}

describe('issue 13: sign-in calls through Twilio, answered by twilio-signed callbacks', () => {
  let api: Awaited<ReturnType<typeof startTwilioApi>>;
  let server: TestServer;
  let client: AuthApiClient;
  let serial = 0;

  before(async () => {
    api = await startTwilioApi();
    server = await startTestServer({
      config: {
        'telephony.enabled': true,
        'telephony.provider': 'twilio',
        'telephony.callback_url': PUBLIC,
        'telephony.twilio.account_sid': ACCOUNT_SID,
        'telephony.twilio.auth_token': AUTH_TOKEN,
        'telephony.twilio.from': '+15005550006',
        'telephony.twilio.api_url': api.url,
        // A call is charged one minute (call_time_limit_seconds 60); texts one credit: room for this file's sends.
        'telephony.daily_credit_budget': 8,
        organization: 'Acme Corp',
      },
    });
    const keys = await createTestApp(server.deps, {
      name: 'VPN',
      policy: { allowedMethods: ['push', 'totp', 'sms', 'phone'] },
    });
    const clock = () => {
      server.clock.advance(1_000);
      return server.clock.now();
    };
    client = createAuthApiClient({ baseUrl: server.url, ...keys, clock });
  });
  after(async () => {
    client.close();
    await server.close();
    await new Promise<void>((resolve) => api.server.close(() => resolve()));
  });

  /** A user whose number was confirmed with the code Twilio was asked to text. */
  async function userWithPhone(): Promise<User> {
    const number = `+1415555${String(++serial).padStart(4, '0')}`;
    const user = await createTestUser(server.deps, `twilio${serial}`);
    await sendPhoneConfirmation(server.deps, user, number);
    const text = api.recorded.at(-1)!;
    assert.equal(text.resource, 'Messages');
    assert.equal(text.fields.get('To'), number);
    const code = /\b[0-9]{7}\b/.exec(text.fields.get('Body') ?? '')![0];
    await confirmPhone(server.deps, 'test', user, { number, code });
    return user;
  }

  /** Starts an async call; returns the login's id and the callback URLs Twilio was handed. */
  async function call(user: User): Promise<{ txid: string; gather: string; status: string }> {
    const { txid } = await client.auth({
      username: user.username,
      factor: 'phone',
      device: 'auto',
      async: 1,
    });
    const placed = api.recorded.at(-1)!;
    assert.equal(placed.resource, 'Calls');
    const twiml = placed.fields.get('Twiml') ?? '';
    assert.match(twiml, /This is Acme Corp\. Someone is signing in to VPN with your account\./);
    const gather = /action="([^"]+)"/.exec(twiml)![1]!.replaceAll('&amp;', '&');
    return { txid, gather, status: placed.fields.get('StatusCallback')! };
  }

  /** POSTs `fields` to our route for the public `url`, signed as Twilio signs it (or with `token`). */
  async function twilioPost(url: string, fields: Record<string, string>, token = AUTH_TOKEN) {
    assert.ok(url.startsWith(PUBLIC), url);
    const response = await fetch(`${server.url}${url.slice(PUBLIC.length)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, fields),
      },
      body: new URLSearchParams(fields),
    });
    return { status: response.status, body: await response.text() };
  }

  test('pressing 1 approves the sign-in; the call says so', async () => {
    const user = await userWithPhone();
    const { txid, gather } = await call(user);
    assert.ok(gather.startsWith(`${PUBLIC}${TWILIO_WEBHOOK_PATHS.gather}?id=`));
    const answer = await twilioPost(gather, { CallSid: 'CA1', AccountSid: ACCOUNT_SID, Digits: '1' });
    assert.equal(answer.status, 200);
    assert.match(answer.body, /The sign-in is approved/);
    assert.equal((await client.authStatus(txid)).result, 'allow');
    // Twilio's later status callback finds the login decided and changes nothing.
    assert.equal(
      (
        await twilioPost(`${PUBLIC}${TWILIO_WEBHOOK_PATHS.callStatus}?id=${txid}`, {
          CallStatus: 'completed',
        })
      ).status,
      200,
    );
    assert.equal((await client.authStatus(txid)).result, 'allow');
  });

  test('pressing 9 denies and reports fraud', async () => {
    const user = await userWithPhone();
    const { txid, gather } = await call(user);
    const answer = await twilioPost(gather, { CallSid: 'CA2', AccountSid: ACCOUNT_SID, Digits: '9' });
    assert.match(answer.body, /denied and reported/);
    const status = await client.authStatus(txid);
    assert.deepEqual([status.result, status.status], ['deny', 'fraud']);
  });

  test('a callback signed with another token is refused and the login keeps waiting', async () => {
    const user = await userWithPhone();
    const { txid, gather } = await call(user);
    const forged = await twilioPost(
      gather,
      { CallSid: 'CA3', Digits: '1' },
      'not-the-auth-token-at-all-000000',
    );
    assert.equal(forged.status, 403);
    const status = await client.authStatus(txid);
    assert.deepEqual([status.result, status.status], ['waiting', 'calling']);
    // Nobody pressed anything: the call's end denies the login.
    await twilioPost(`${PUBLIC}${TWILIO_WEBHOOK_PATHS.callStatus}?id=${txid}`, { CallStatus: 'no-answer' });
    const ended = await client.authStatus(txid);
    assert.deepEqual(ended, {
      result: 'deny',
      status: 'deny',
      status_msg: 'The call was not answered. Login request denied.',
    });
  });

  test('the daily credit budget refuses a call beyond it; nothing reaches Twilio', async () => {
    const user = await userWithPhone();
    // 4 texts and 3 calls so far spent 7 of 8 credits; one more call fits, the next does not.
    const spent = await server.deps.store.telephony.creditsSpent(
      new Date(server.clock.now()).toISOString().slice(0, 10),
    );
    assert.equal(spent, 7);
    const { txid } = await call(user);
    await twilioPost(`${PUBLIC}${TWILIO_WEBHOOK_PATHS.callStatus}?id=${txid}`, { CallStatus: 'busy' });
    const sent = api.recorded.length;
    const refused = await client.auth({ username: user.username, factor: 'phone', device: 'auto' });
    assert.deepEqual(refused, {
      result: 'deny',
      status: 'deny',
      status_msg: 'Too many text messages or calls. Try again later or use another option.',
    });
    assert.equal(api.recorded.length, sent);
  });
});
