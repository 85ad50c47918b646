// A local stand-in for a Web Push service (RFC 8030) and a browser's subscription keys, with RFC 8291 decryption.
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PushSubscriptionData } from '../../src/device-protocol/messages.ts';

/** One message as the push service received it. */
export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakePushService {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  received: ReceivedPush[];
  /** The status the service answers for `path` (default 201 Created); 'hang' never answers. */
  answer(path: string, status: number | 'hang'): void;
  /** Answers `status` for `path` only once released; `arrived` resolves when the message is in. */
  hold(path: string, status: number): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

/** Starts the fake push service on 127.0.0.1 with a free port. */
export async function startFakePushService(): Promise<FakePushService> {
  const received: ReceivedPush[] = [];
  const answers = new Map<string, number | 'hang'>();
  const holds = new Map<string, { arrived: () => void; released: Promise<void> }>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
      const status = answers.get(path) ?? 201;
      if (status === 'hang') return;
      const held = holds.get(path);
      held?.arrived();
      void (held?.released ?? Promise.resolve()).then(() => response.writeHead(status).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    answer: (path, status) => answers.set(path, status),
    hold(path, status) {
      answers.set(path, status);
      const arrived = Promise.withResolvers<void>();
      const released = Promise.withResolvers<void>();
      holds.set(path, { arrived: arrived.resolve, released: released.promise });
      return { arrived: arrived.promise, release: released.resolve };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser-side subscription: the P-256 key pair and auth secret a user agent would make. */
export interface FakeSubscription {
  data: PushSubscriptionData;
  privateKey: Buffer;
  publicKey: Buffer;
  authSecret: Buffer;
}

/** Makes a subscription pointing at `endpoint` with fresh keys (RFC 8291 §2: P-256 and a 16-byte secret). */
export function fakeSubscription(endpoint: string): FakeSubscription {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys();
  const authSecret = randomBytes(16);
  return {
    data: {
      endpoint,
      keys: { p256dh: publicKey.toString('base64url'), auth: authSecret.toString('base64url') },
    },
    privateKey: ecdh.getPrivateKey(),
    publicKey,
    authSecret,
  };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** Thrown when a body is not a well-formed single-record aes128gcm message. */
export class PushDecryptError extends Error {
  override name = 'PushDecryptError';
}

/** Decrypts an aes128gcm body (RFC 8188 §2 framing, RFC 8291 §3.3–3.4 keys) with the subscription's private key. */
export function decryptPush(body: Buffer, subscription: FakeSubscription): string {
  // RFC 8188 §2.1: salt (16) | rs (uint32) | idlen (1) | keyid — here the sender's public key.
  if (body.length < 21) throw new PushDecryptError('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const senderPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65) throw new PushDecryptError(`keyid is ${idlen} bytes, expected a 65-byte P-256 point`);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(subscription.privateKey);
  const sharedSecret = ecdh.computeSecret(senderPublic);
  // RFC 8291 §3.3: combine the shared secret with the auth secret.
  const prkKey = hmac(subscription.authSecret, sharedSecret);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), subscription.publicKey, senderPublic]);
  const ikm = hmac(prkKey, Buffer.concat([keyInfo, Buffer.from([1])]));
  // RFC 8188 §2.2–2.3: content-encryption key and nonce.
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // RFC 8188 §2: the last record ends with delimiter 0x02 followed by zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new PushDecryptError('the record does not end with the last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** The claims of a VAPID `Authorization: vapid t=…, k=…` header, after checking its ES256 signature with k. */
export function verifyVapid(header: string | undefined): {
  claims: Record<string, unknown>;
  publicKey: string;
} {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`not a VAPID authorization header: ${header}`);
  const [token, k] = [match[1]!, match[2]!];
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const [head, payload, signature] = token.split('.') as [string, string, string];
  const ok = verify(
    'sha256',
    Buffer.from(`${head}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new Error('the VAPID JWT signature does not verify with k');
  return { claims: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), publicKey: k };
}
