// createRadiusServer over real UDP with crafted packets: cached replies for retransmissions, IPv6, bad hosts.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { test } from 'node:test';
import { manualClock } from '../../src/core/clock.ts';
import {
  AttributeType,
  replyMessageAttributes,
  stringAttribute,
} from '../../src/fronts/radius/attributes.ts';
import { verifyResponseAuthenticator } from '../../src/fronts/radius/authenticators.ts';
import { buildAccessRequest } from '../../src/fronts/radius/request.ts';
import { createRadiusServer, RadiusServerConfigError } from '../../src/fronts/radius/server.ts';

const SECRET = 'udp-secret';

/** Sends each datagram in turn from one socket and collects the replies (expects one reply per datagram). */
async function exchange(host: string, port: number, datagrams: Buffer[]): Promise<Buffer[]> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const replies: Buffer[] = [];
  try {
    for (const datagram of datagrams) {
      socket.send(datagram, port, host);
      const [reply] = (await once(socket, 'message')) as [Buffer];
      replies.push(reply);
    }
  } finally {
    socket.close();
  }
  return replies;
}

function request(identifier: number) {
  return buildAccessRequest({
    identifier,
    authenticator: Buffer.alloc(16, identifier),
    secret: SECRET,
    password: 'pw',
    attributes: [stringAttribute(AttributeType.UserName, 'alice')],
  });
}

test('a retransmission after the reply gets the cached bytes, and the handler runs once', async () => {
  let calls = 0;
  const server = await createRadiusServer({
    host: '127.0.0.1',
    port: 0,
    clients: () => ({ name: 'local', address: '127.0.0.1', secret: SECRET }),
    handler: () => {
      calls++;
      // A counter in the reply shows whether a second answer was computed.
      return { code: 'accept', attributes: replyMessageAttributes(`answer ${calls}`) };
    },
    clock: manualClock(0),
  });
  try {
    const packet = request(7);
    const [first, second] = await exchange('127.0.0.1', server.address(), [packet, packet]);
    assert.ok(first && second);
    assert.deepEqual(second, first);
    assert.equal(calls, 1);
    assert.equal(server.stats().resentCached, 1);
    assert.equal(verifyResponseAuthenticator(first, packet.subarray(4, 20), SECRET), true);
    const [third] = await exchange('127.0.0.1', server.address(), [request(8)]);
    assert.notDeepEqual(third, first, 'a new identifier is a new request');
    assert.equal(calls, 2);
  } finally {
    await server.close();
  }
});

test('an IPv6 host gets a udp6 socket', async () => {
  const server = await createRadiusServer({
    host: '::1',
    port: 0,
    clients: (ip) => (ip === '::1' ? { name: 'v6', address: '::1', secret: SECRET } : null),
    handler: () => ({ code: 'reject', attributes: [] }),
    clock: manualClock(0),
  });
  try {
    const [reply] = await exchange('::1', server.address(), [request(1)]);
    assert.equal(reply?.[0], 3, 'Access-Reject');
  } finally {
    await server.close();
  }
});

test('a host that is not an IP literal is refused', async () => {
  await assert.rejects(
    createRadiusServer({
      host: 'localhost',
      port: 0,
      clients: () => null,
      handler: () => ({ code: 'reject', attributes: [] }),
      clock: manualClock(0),
    }),
    RadiusServerConfigError,
  );
});
