// duo_unix 2.2's Auth API v2 requests, rebuilt byte for byte from its source (duo_unix-2.2.3 lib/duo.c, lib/https.c).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTransport, type HttpResponse, type Transport } from '../../src/client/transport.ts';
import { addTotp } from '../../src/core/admin/add-totp.ts';
import { requireUser } from '../../src/core/admin/create-user.ts';
import { decodeBase32 } from '../../src/crypto/base32.ts';
import { authorizationHeader, duoEncode } from '../../src/crypto/duo-signature/index.ts';
import { generateTotp } from '../../src/crypto/otp/totp.ts';
import type { DeviceClient } from '../../src/device-client/client.ts';
import { type PushWorld, startPushWorld } from '../push/harness.ts';
import { createTestApp } from '../support/server.ts';
import { assertOk } from './envelope-assertions.ts';

let world: PushWorld;
let transport: Transport;
let keys: { ikey: string; skey: string };
let phone: DeviceClient;
let secret: Uint8Array;

before(async () => {
  world = await startPushWorld();
  keys = await createTestApp(world.deps, { name: 'ssh-servers' });
  transport = createTransport(new URL(world.url));
  phone = (await world.enroll('alice')).device;
  const user = await requireUser(world.deps, 'alice');
  const { uri } = await addTotp(world.deps, 'test', user, { issuer: 'test' });
  secret = decodeBase32(new URL(uri).searchParams.get('secret') ?? '');
});
after(async () => {
  transport.close();
  await world.close();
});

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `strftime("%a, %d %b %Y %T %z", localtime(&t))` on a machine whose zone is UTC: `Mon, 02 Mar 2026 09:30:00 +0000`. */
function strftimeDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} +0000`;
}

/**
 * lib/https.c `https_send` of 2.2.3: the pairs `urlenc_encode`d and sorted as whole strings (`_argv_to_qs`), the
 * canonical `date\nMETHOD\nhost\nuri\nqs` with the configured host (no port), HMAC-SHA512, an `X-Duo-Date`
 * header and no `Date`; a GET's pairs after `?` (even none: `GET /auth/v2/ping?`), a POST's in a form body.
 */
function duoUnix2(
  method: 'GET' | 'POST',
  uri: string,
  params: Record<string, string>,
  signer: { ikey: string; skey: string } = keys,
) {
  const qs = Object.entries(params)
    .map(([key, value]) => `${duoEncode(key)}=${duoEncode(value)}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join('&');
  // duo_sync_time_offset: the date is the server's time, learnt from /ping.
  const date = strftimeDate(world.clock.now());
  const { hostname, host } = new URL(world.url);
  const canonical = [date, method, hostname, uri, qs].join('\n');
  const signature = createHmac('sha512', signer.skey).update(canonical).digest('hex');
  const headers: Record<string, string> = {
    Host: host,
    'User-Agent': 'pam_duo/2.2.3 (x86_64-pc-linux-gnu) libduo/2.2.3',
    'X-Duo-Date': date,
    Authorization: authorizationHeader(signer.ikey, signature),
  };
  if (method === 'GET') return { method, target: `${uri}?${qs}`, headers, body: new Uint8Array() };
  headers['Content-Type'] = 'application/x-www-form-urlencoded';
  headers['Content-Length'] = String(Buffer.byteLength(qs));
  return { method, target: uri, headers, body: Buffer.from(qs) };
}

const send = (
  method: 'GET' | 'POST',
  uri: string,
  params: Record<string, string> = {},
  signer: { ikey: string; skey: string } = keys,
): Promise<HttpResponse> => transport.send(duoUnix2(method, uri, params, signer));

/** _duo_preauth: text_prompt, username, hostname, failmode, client_supports_verified_push (pam_duo sets it). */
const preauthParams = { text_prompt: '1', username: 'alice', hostname: 'bastion', failmode: 'closed' };

/** duo_login's auth: factor=prompt with what _duo_prompt chose; pushinfo always (an empty Command). */
const authParams = (prompt: string, async: '0' | '1') => ({
  username: 'alice',
  factor: 'prompt',
  prompt,
  async,
  hostname: 'bastion',
  pushinfo: 'Server+IP=192.0.2.1&Command=',
});

test('issue 10: duo_unix 2.x: ping, then preauth gives prompt.text and prompt.factors with a default', async () => {
  const ping = assertOk(await send('GET', '/auth/v2/ping')) as { time: number };
  assert.equal(ping.time, Math.floor(world.clock.now() / 1000));
  const preauth = assertOk(
    await send('POST', '/auth/v2/preauth', { ...preauthParams, client_supports_verified_push: '1' }),
  ) as { result: string; prompt: { text: string; factors: Record<string, string> } };
  assert.equal(preauth.result, 'auth');
  assert.match(preauth.prompt.text, / 1\. Push to alice's laptop\n/);
  assert.equal(preauth.prompt.factors['1'], 'push1');
  assert.equal(preauth.prompt.factors.default, 'push1');
});

test('issue 10: duo_unix 2.x: a typed passcode (synchronous, sshd) logs in; a wrong one is denied', async () => {
  const code = generateTotp(secret, world.clock.now(), { algorithm: 'sha1', digits: 6, period: 30 });
  const allowed = assertOk(await send('POST', '/auth/v2/auth', authParams(code, '0'))) as Record<
    string,
    string
  >;
  assert.equal(allowed.result, 'allow');
  assert.equal(allowed.status_msg, 'Success. Logging you in...');
  world.clock.advance(1000);
  const denied = assertOk(await send('POST', '/auth/v2/auth', authParams('123456', '0'))) as Record<
    string,
    string
  >;
  assert.equal(denied.result, 'deny');
  assert.equal(typeof denied.status_msg, 'string');
  world.clock.advance(30_000);
});

test('issue 10: duo_unix 2.x: autopush (synchronous) waits for the device', async () => {
  const approve = async () => {
    for (;;) {
      const [request] = await phone.pending();
      if (request) return phone.approve(request.txid);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const [answer] = await Promise.all([send('POST', '/auth/v2/auth', authParams('push1', '0')), approve()]);
  const allowed = assertOk(answer) as Record<string, string>;
  assert.equal(allowed.result, 'allow');
  assert.equal(allowed.status_msg, 'Success. Logging you in...');
  world.clock.advance(1000);
});

test('issue 10: duo_unix 2.x: menu option 1 (async): a txid, then auth_status until allow', async () => {
  const started = assertOk(await send('POST', '/auth/v2/auth', authParams('push1', '1'))) as { txid: string };
  const first = assertOk(await send('GET', '/auth/v2/auth_status', { txid: started.txid })) as Record<
    string,
    string
  >;
  assert.equal(first.result, 'waiting');
  assert.equal(first.status_msg, 'Pushed a login request to your device...');
  const [request] = await phone.pending();
  await phone.approve(request!.txid);
  const last = assertOk(await send('GET', '/auth/v2/auth_status', { txid: started.txid })) as Record<
    string,
    string
  >;
  assert.equal(last.result, 'allow');
  assert.equal(last.status_msg, 'Success. Logging you in...');
});

test('issue 10: duo_unix 2.x: auth_status answers `waiting` at most 10 times per login, then denies', async () => {
  // duo_unix 2.x polls auth_status 20 times and lets the user in when none of the answers had a result. A push
  // that lives 10 minutes outlasts 20 long polls of 25 seconds, and every node answers a txid's first poll at once.
  const slow = await createTestApp(world.deps, { name: 'ssh-slow', policy: { pushTimeoutSeconds: 600 } });
  const started = assertOk(await send('POST', '/auth/v2/auth', authParams('push1', '1'), slow)) as {
    txid: string;
  };
  /** One auth_status poll; a held poll ends at its deadline on the server's clock: move it on, wake the waiter. */
  const poll = async (): Promise<Record<string, string>> => {
    let done = false;
    const answer = send('GET', '/auth/v2/auth_status', { txid: started.txid }, slow).finally(() => {
      done = true;
    });
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (done) break;
      world.clock.advance(2_500);
      await world.deps.bus.publish({ topic: `tx:${started.txid}` });
    }
    return assertOk(await answer) as Record<string, string>;
  };
  const answers: Array<Record<string, string>> = [];
  for (let count = 0; count < 20; count++) {
    answers.push(await poll());
    if (answers.at(-1)?.result !== 'waiting') break;
  }
  const waiting = answers.filter((body) => body.result === 'waiting').length;
  assert.ok(waiting <= 10, `${waiting} waiting answers`);
  assert.ok(waiting >= 2, `${waiting} waiting answers: the push was still out`);
  assert.deepEqual(answers.at(-1), { result: 'deny', status: 'timeout', status_msg: 'Login timed out.' });
  // The push was never answered: the login is still open, and a later poll is denied too.
  const [request] = await phone.pending();
  assert.equal(request?.txid, started.txid);
  assert.equal((await poll()).result, 'deny');
  await phone.deny(started.txid);
});
