// The datagram pipeline, socket-free: each drop rule in order, retransmissions, and handler failures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import type { RadiusClient } from '../../core/admin/radius-client-table.ts';
import { manualClock } from '../../core/clock.ts';
import { AttributeType, getString, stringAttribute } from './attributes.ts';
import { verifyMessageAuthenticator, verifyResponseAuthenticator } from './authenticators.ts';
import { createDropRecorder } from './drop-summary.ts';
import { decodePacket, encodePacket, PacketCode } from './packet.ts';
import { emptyStats, type PipelineDeps, processDatagram, type RadiusHandler } from './pipeline.ts';
import { buildAccessRequest } from './request.ts';
import { createRetransmitCache } from './retransmit-cache.ts';

const SECRET = 'pipeline-secret';
const SOURCE = { address: '127.0.0.1', port: 40000 };
const strict: RadiusClient = { name: 'strict', address: '127.0.0.1', secret: SECRET };
const lax: RadiusClient = { ...strict, name: 'lax', requireMessageAuthenticator: false };

function setup(client: RadiusClient | null, handler?: RadiusHandler) {
  const calls: { password: string | null; user: string | null }[] = [];
  const errors: string[] = [];
  const logger = {
    debug() {},
    warn() {},
    error: (_details: object, message: string) => errors.push(message),
  };
  const counter = new Counter({
    name: 'radius_dropped_total',
    help: 'drops',
    labelNames: ['client', 'reason'],
    registers: [new Registry()],
  });
  /** The counter's series as `client/reason` → value. */
  const dropped = async () =>
    Object.fromEntries(
      (await counter.get()).values.map((v) => [`${v.labels.client}/${v.labels.reason}`, v.value]),
    );
  const deps: PipelineDeps<RadiusClient> = {
    clients: () => client,
    handler:
      handler ??
      ((request) => {
        calls.push({
          password: request.password?.toString() ?? null,
          user: getString(request.attributes, AttributeType.UserName),
        });
        return { code: 'accept', attributes: [] };
      }),
    cache: createRetransmitCache({ clock: manualClock(0) }),
    stats: emptyStats(),
    logger,
    drops: createDropRecorder({ clock: manualClock(0), logger, counter }),
  };
  return { deps, calls, errors, dropped };
}

let nextId = 0;
function request(
  options: { mac?: boolean; extra?: { type: number; value: Buffer }[]; identifier?: number } = {},
) {
  return buildAccessRequest({
    identifier: options.identifier ?? nextId++ % 256,
    authenticator: Buffer.alloc(16, nextId),
    secret: SECRET,
    password: 's3cret',
    messageAuthenticator: options.mac ?? true,
    attributes: [stringAttribute(AttributeType.UserName, 'alice'), ...(options.extra ?? [])],
  });
}

test('a valid request reaches the handler with the unhidden password and gets a signed reply', async () => {
  const { deps, calls } = setup(strict);
  const bytes = request();
  const reply = await processDatagram(deps, bytes, SOURCE);
  assert.ok(reply);
  assert.deepEqual(calls, [{ password: 's3cret', user: 'alice' }]);
  const requestAuthenticator = bytes.subarray(4, 20);
  assert.equal(reply[0], PacketCode.AccessAccept);
  assert.equal(verifyResponseAuthenticator(reply, requestAuthenticator, SECRET), true);
  assert.equal(verifyMessageAuthenticator(reply, SECRET, requestAuthenticator), true);
  assert.equal(deps.stats.accept, 1);
});

test('unknown client, malformed packet, and non-Access-Request are dropped and counted', async () => {
  const unknown = setup(null);
  assert.equal(await processDatagram(unknown.deps, request(), SOURCE), null);
  assert.equal(unknown.deps.stats.unknownClient, 1);
  assert.deepEqual(await unknown.dropped(), { '(unknown)/unknown_client': 1 });

  const { deps, calls, dropped } = setup(strict);
  assert.equal(await processDatagram(deps, Buffer.from('garbage'), SOURCE), null);
  const accounting = encodePacket({
    code: PacketCode.AccountingRequest,
    identifier: 1,
    authenticator: Buffer.alloc(16),
    attributes: [],
  });
  assert.equal(await processDatagram(deps, accounting, SOURCE), null);
  assert.equal(deps.stats.malformed, 1);
  assert.equal(deps.stats.unsupportedCode, 1);
  assert.deepEqual(await dropped(), { 'strict/malformed': 1, 'strict/unsupported_code': 1 });
  assert.equal(calls.length, 0);
});

test('Message-Authenticator rules: bad → drop; missing → drop when required, with Proxy-State, or with EAP', async () => {
  const { deps, calls } = setup(strict);
  const tampered = request();
  tampered[tampered.length - 1]! ^= 1;
  assert.equal(await processDatagram(deps, tampered, SOURCE), null);
  assert.equal(deps.stats.badMessageAuthenticator, 1);
  assert.equal(await processDatagram(deps, request({ mac: false }), SOURCE), null);
  assert.equal(deps.stats.missingMessageAuthenticator, 1);

  const laxSetup = setup(lax);
  const proxyState = { type: AttributeType.ProxyState, value: Buffer.from('ps') };
  const eap = { type: AttributeType.EapMessage, value: Buffer.from([2, 0, 0, 5, 1]) };
  assert.equal(
    await processDatagram(laxSetup.deps, request({ mac: false, extra: [proxyState] }), SOURCE),
    null,
  );
  assert.equal(await processDatagram(laxSetup.deps, request({ mac: false, extra: [eap] }), SOURCE), null);
  assert.equal(laxSetup.deps.stats.missingMessageAuthenticator, 2);
  assert.ok(
    await processDatagram(laxSetup.deps, request({ mac: false }), SOURCE),
    'lax client without MA is served',
  );
  assert.ok(
    await processDatagram(laxSetup.deps, request({ extra: [proxyState] }), SOURCE),
    'Proxy-State with MA is fine',
  );
  assert.equal(calls.length, 0);
  assert.equal(laxSetup.calls.length, 2);
});

test('a User-Password with a bad length is dropped as malformed', async () => {
  const { deps } = setup(lax);
  const packet = encodePacket({
    code: PacketCode.AccessRequest,
    identifier: 3,
    authenticator: Buffer.alloc(16, 1),
    attributes: [{ type: AttributeType.UserPassword, value: Buffer.alloc(10) }],
  });
  assert.equal(await processDatagram(deps, packet, SOURCE), null);
  assert.equal(deps.stats.malformed, 1);
});

test('a retransmission while the handler runs is dropped; afterwards it gets the same bytes', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let handled = 0;
  const { deps } = setup(strict, async () => {
    handled++;
    await gate;
    return { code: 'challenge', attributes: [stringAttribute(AttributeType.State, 'st-1')] };
  });
  const bytes = request();
  const first = processDatagram(deps, bytes, SOURCE);
  const duplicate = processDatagram(deps, bytes, SOURCE);
  release();
  const [reply, duplicateReply] = await Promise.all([first, duplicate]);
  assert.equal(duplicateReply, null);
  assert.ok(reply);
  assert.deepEqual(await processDatagram(deps, bytes, SOURCE), reply);
  assert.equal(handled, 1);
  assert.equal(deps.stats.duplicateInFlight, 1);
  assert.equal(deps.stats.resentCached, 1);
  const decoded = decodePacket(reply);
  assert.ok(decoded.ok);
  assert.equal(getString(decoded.packet.attributes, AttributeType.State), 'st-1');
  assert.ok(
    await processDatagram(deps, bytes, { ...SOURCE, port: 40001 }),
    'another port is another request',
  );
  assert.equal(handled, 2);
});

test('a handler that throws yields a generic Access-Reject and a logged error', async () => {
  const { deps, errors } = setup(strict, () => {
    throw new Error('database down');
  });
  const reply = await processDatagram(deps, request(), SOURCE);
  assert.ok(reply);
  const decoded = decodePacket(reply);
  assert.ok(decoded.ok);
  assert.equal(decoded.packet.code, PacketCode.AccessReject);
  assert.equal(getString(decoded.packet.attributes, AttributeType.ReplyMessage), 'Authentication failed.');
  assert.equal(deps.stats.handlerErrors, 1);
  assert.match(errors[0] ?? '', /handler failed/);
});

test('Status-Server (RFC 5997): accepted with a valid Message-Authenticator, never without one, even for a lax client', async () => {
  const { deps, calls } = setup(lax);
  const status = (mac: boolean) =>
    buildAccessRequest({
      code: PacketCode.StatusServer,
      identifier: nextId++ % 256,
      authenticator: Buffer.alloc(16, 7),
      secret: SECRET,
      messageAuthenticator: mac,
      attributes: [stringAttribute(AttributeType.NasIdentifier, 'probe')],
    });
  const signed = status(true);
  const reply = await processDatagram(deps, signed, SOURCE);
  assert.ok(reply);
  assert.equal(reply[0], PacketCode.AccessAccept);
  assert.equal(verifyResponseAuthenticator(reply, signed.subarray(4, 20), SECRET), true);
  assert.equal(verifyMessageAuthenticator(reply, SECRET, signed.subarray(4, 20)), true);
  assert.equal(await processDatagram(deps, status(false), SOURCE), null);
  assert.equal(deps.stats.missingMessageAuthenticator, 1);
  assert.deepEqual([deps.stats.statusServer, deps.stats.accept, calls.length], [1, 0, 0]);
});
