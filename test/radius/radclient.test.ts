// Drives createRadiusServer with the real FreeRADIUS radclient: PAP, BlastRADIUS rules, retransmission, challenge.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClientTable, type RadiusClient } from '../../src/core/admin/radius-client-table.ts';
import { systemClock } from '../../src/core/clock.ts';
import {
  AttributeType,
  bytesAttribute,
  getBytes,
  getString,
  replyMessageAttributes,
} from '../../src/fronts/radius/attributes.ts';
import type { RadiusHandler } from '../../src/fronts/radius/pipeline.ts';
import { createRadiusServer, type RadiusServer } from '../../src/fronts/radius/server.ts';
import { radclientAvailable, runRadclient } from './radclient.ts';

const SECRET = 'radclient-test-secret';
const MA = 'Message-Authenticator = 0x00';
const skip = radclientAvailable() ? false : 'radclient not on PATH: apt-get install -y freeradius-utils';

/** Toy handler: alice/s3cret is accepted; carol gets a challenge whose State is answered with 123456. */
function toyHandler(calls: { count: number }, slowUntil?: () => boolean): RadiusHandler {
  const issuedStates = new Set<string>();
  return async ({ attributes, password }) => {
    calls.count++;
    // Bounded so that a broken server fails the test instead of hanging it.
    for (let polls = 0; slowUntil && !slowUntil() && polls < 500; polls++) await sleep(20);
    const user = getString(attributes, AttributeType.UserName);
    const secret = password?.toString('utf8');
    if (user === 'alice' && secret === 's3cret')
      return { code: 'accept', attributes: replyMessageAttributes('Welcome') };
    if (user === 'carol') {
      const state = getBytes(attributes, AttributeType.State)?.toString('hex');
      if (state && issuedStates.delete(state)) {
        return { code: secret === '123456' ? 'accept' : 'reject', attributes: [] };
      }
      const fresh = randomBytes(16);
      issuedStates.add(fresh.toString('hex'));
      return {
        code: 'challenge',
        attributes: [bytesAttribute(AttributeType.State, fresh), ...replyMessageAttributes('Enter passcode')],
      };
    }
    return { code: 'reject', attributes: replyMessageAttributes('Denied') };
  };
}

async function startServer(entries: RadiusClient[], handler: RadiusHandler): Promise<RadiusServer> {
  const table = createClientTable(entries);
  return createRadiusServer({
    host: '127.0.0.1',
    port: 0,
    clients: (ip) => table.findClient(ip),
    handler,
    clock: systemClock,
  });
}

describe('RADIUS server with radclient', { skip }, () => {
  const calls = { count: 0 };
  let strict: RadiusServer;
  let lax: RadiusServer;
  before(async () => {
    strict = await startServer(
      [{ name: 'local', address: '127.0.0.0/8', secret: SECRET }],
      toyHandler(calls),
    );
    lax = await startServer(
      [{ name: 'legacy', address: '127.0.0.1', secret: SECRET, requireMessageAuthenticator: false }],
      toyHandler({ count: 0 }),
    );
  });
  after(async () => {
    await strict?.close();
    await lax?.close();
  });

  const auth = (server: RadiusServer, attributes: string[], secret = SECRET) =>
    runRadclient({ port: server.address(), secret, attributes, timeoutSeconds: 1 });

  test('alice with the right password is accepted; radclient validates both authenticators', async () => {
    const result = await auth(strict, ['User-Name = "alice"', 'User-Password = "s3cret"', MA]);
    assert.equal(result.code, 'Access-Accept', result.stdout + result.stderr);
    assert.equal(result.attributes[0]?.name, 'Message-Authenticator', 'Message-Authenticator comes first');
    assert.deepEqual(result.attributes[1], { name: 'Reply-Message', value: 'Welcome' });
  });

  test('a wrong password is rejected', async () => {
    const result = await auth(strict, ['User-Name = "alice"', 'User-Password = "wrong"', MA]);
    assert.equal(result.code, 'Access-Reject');
  });

  test('a wrong shared secret never yields an accept', async () => {
    const before = strict.stats().badMessageAuthenticator;
    const withMac = await auth(
      strict,
      ['User-Name = "alice"', 'User-Password = "s3cret"', MA],
      'not-the-secret',
    );
    assert.equal(withMac.code, null, 'the request is dropped: its Message-Authenticator does not verify');
    assert.equal(strict.stats().badMessageAuthenticator, before + 1);
    // Without Message-Authenticator (legacy client) the password decodes to garbage and the reply is signed
    // with our secret, so radclient must not see a valid accept.
    const rejectsBefore = lax.stats().reject;
    const legacy = await auth(lax, ['User-Name = "alice"', 'User-Password = "s3cret"'], 'not-the-secret');
    assert.notEqual(legacy.code, 'Access-Accept');
    assert.equal(lax.stats().reject, rejectsBefore + 1, 'the server answered, with a reject');
  });

  test('a request without Message-Authenticator is dropped when the client requires it', async () => {
    const before = strict.stats().missingMessageAuthenticator;
    const handled = calls.count;
    const result = await auth(strict, ['User-Name = "alice"', 'User-Password = "s3cret"']);
    assert.equal(result.code, null);
    assert.equal(strict.stats().missingMessageAuthenticator, before + 1);
    assert.equal(calls.count, handled);
    const legacy = await auth(lax, ['User-Name = "alice"', 'User-Password = "s3cret"']);
    assert.equal(legacy.code, 'Access-Accept', 'a client configured without the requirement is served');
  });

  test('Proxy-State without Message-Authenticator is dropped even for a legacy client', async () => {
    const result = await auth(lax, [
      'User-Name = "alice"',
      'User-Password = "s3cret"',
      'Proxy-State = 0x6869',
    ]);
    assert.equal(result.code, null);
    const signed = await auth(lax, [
      'User-Name = "alice"',
      'User-Password = "s3cret"',
      'Proxy-State = 0x6869',
      MA,
    ]);
    assert.equal(signed.code, 'Access-Accept');
    assert.deepEqual(signed.attributes[1], { name: 'Proxy-State', value: '0x6869' });
  });

  test('an unknown client is ignored', async () => {
    const handlerCalls = { count: 0 };
    const server = await startServer(
      [{ name: 'far', address: '10.0.0.0/8', secret: SECRET }],
      toyHandler(handlerCalls),
    );
    try {
      const result = await auth(server, ['User-Name = "alice"', 'User-Password = "s3cret"', MA]);
      assert.equal(result.code, null);
      assert.equal(server.stats().unknownClient, 1);
      assert.equal(handlerCalls.count, 0);
    } finally {
      await server.close();
    }
  });

  test('a retransmission while the handler is busy does not run the handler again', async () => {
    const handlerCalls = { count: 0 };
    let server: RadiusServer | undefined;
    // The handler only answers once the server has seen (and dropped) a retransmission of this request.
    const seenRetransmission = () => (server?.stats().duplicateInFlight ?? 0) >= 1;
    server = await startServer(
      [{ name: 'local', address: '127.0.0.1', secret: SECRET }],
      toyHandler(handlerCalls, seenRetransmission),
    );
    try {
      const result = await runRadclient({
        port: server.address(),
        secret: SECRET,
        attributes: ['User-Name = "alice"', 'User-Password = "s3cret"', MA],
        tries: 20,
        timeoutSeconds: 0.3,
      });
      assert.equal(result.code, 'Access-Accept', result.stdout + result.stderr);
      assert.ok(result.sends >= 2, 'radclient retransmitted');
      assert.equal(handlerCalls.count, 1);
      assert.ok(server.stats().duplicateInFlight >= 1);
    } finally {
      await server.close();
    }
  });

  test('carol gets an Access-Challenge with State, and answering it with the State is accepted', async () => {
    const first = await auth(strict, ['User-Name = "carol"', 'User-Password = "pw"', MA]);
    assert.equal(first.code, 'Access-Challenge');
    const state = first.attributes.find((attribute) => attribute.name === 'State')?.value;
    assert.match(state ?? '', /^0x[0-9a-f]{32}$/);
    assert.deepEqual(
      first.attributes.find((attribute) => attribute.name === 'Reply-Message')?.value,
      'Enter passcode',
    );
    const answer = await auth(strict, [
      'User-Name = "carol"',
      'User-Password = "123456"',
      `State = ${state}`,
      MA,
    ]);
    assert.equal(answer.code, 'Access-Accept');
    const replay = await auth(strict, [
      'User-Name = "carol"',
      'User-Password = "123456"',
      `State = ${state}`,
      MA,
    ]);
    assert.equal(replay.code, 'Access-Challenge', 'the toy handler treats a used State as unknown');
  });
});
