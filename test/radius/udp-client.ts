// Access-Requests over real UDP for volume tests: hundreds from one socket (no radclient process each), every
// reply matched to its request by identifier and checked against its Response Authenticator.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { AttributeType, getString, stringAttribute } from '../../src/fronts/radius/attributes.ts';
import { verifyResponseAuthenticator } from '../../src/fronts/radius/authenticators.ts';
import { decodePacket, PacketCode } from '../../src/fronts/radius/packet.ts';
import { buildAccessRequest } from '../../src/fronts/radius/request.ts';

const NAMES: Record<number, UdpReply['code']> = {
  [PacketCode.AccessAccept]: 'Access-Accept',
  [PacketCode.AccessReject]: 'Access-Reject',
  [PacketCode.AccessChallenge]: 'Access-Challenge',
};

export interface UdpReply {
  code: 'Access-Accept' | 'Access-Reject' | 'Access-Challenge';
  replyMessage: string | null;
}

export interface UdpRadiusClient {
  /** Sends one Access-Request (Message-Authenticator first) and resolves with its verified reply. */
  send(
    username: string,
    password: string,
    extra?: { callingStationId?: string; timeoutMs?: number },
  ): Promise<UdpReply>;
  close(): Promise<void>;
}

interface Pending {
  authenticator: Buffer;
  resolve(reply: UdpReply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A client on 127.0.0.1 for the RADIUS port `port`. At most `maxInFlight` requests are outstanding (each holds
 * one of the 256 identifiers); the rest wait their turn. The sender shares the server's event loop, so a bounded
 * window also keeps the server's receive buffer from overflowing.
 */
export async function udpRadiusClient(
  port: number,
  secret: string,
  options: { maxInFlight?: number } = {},
): Promise<UdpRadiusClient> {
  const maxInFlight = Math.min(options.maxInFlight ?? 50, 256);
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const pending = new Map<number, Pending>();
  const free = Array.from({ length: 256 }, (_, identifier) => identifier);
  const waiting: Array<() => void> = [];

  const release = (identifier: number) => {
    pending.delete(identifier);
    free.push(identifier);
    waiting.shift()?.();
  };
  socket.on('message', (datagram) => {
    const identifier = datagram[1];
    const entry = identifier === undefined ? undefined : pending.get(identifier);
    if (!entry || !verifyResponseAuthenticator(datagram, entry.authenticator, secret)) return;
    const decoded = decodePacket(datagram);
    clearTimeout(entry.timer);
    release(identifier!);
    const code = decoded.ok ? NAMES[decoded.packet.code] : undefined;
    if (!decoded.ok || !code) {
      entry.reject(new Error(`unexpected reply: ${datagram.toString('hex')}`));
      return;
    }
    entry.resolve({ code, replyMessage: getString(decoded.packet.attributes, AttributeType.ReplyMessage) });
  });

  return {
    async send(username, password, extra = {}) {
      while (pending.size >= maxInFlight || free.length === 0) {
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      const identifier = free.shift()!;
      const authenticator = randomBytes(16);
      const packet = buildAccessRequest({
        identifier,
        authenticator,
        secret,
        password,
        attributes: [
          stringAttribute(AttributeType.UserName, username),
          ...(extra.callingStationId === undefined
            ? []
            : [stringAttribute(AttributeType.CallingStationId, extra.callingStationId)]),
        ],
      });
      return new Promise<UdpReply>((resolve, reject) => {
        const timeoutMs = extra.timeoutMs ?? 90_000;
        const timer = setTimeout(() => {
          release(identifier);
          reject(new Error(`no reply to ${username}'s request ${identifier} in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(identifier, { authenticator, resolve, reject, timer });
        socket.send(packet, port, '127.0.0.1', (error) => {
          if (!error) return;
          clearTimeout(timer);
          release(identifier);
          reject(error);
        });
      });
    },
    async close() {
      for (const entry of pending.values()) clearTimeout(entry.timer);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
