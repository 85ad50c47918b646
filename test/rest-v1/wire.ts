// REST v1 requests built as duo_unix 1.11.3 builds them (lib/duo.c, lib/https.c), sent over HTTPS, answers read as BSON.
import { request } from 'node:https';
import { deserialize } from 'bson';
import { authorizationHeader, duoEncode, signV1 } from '../../src/crypto/duo-signature/index.ts';
import type { DuoUnixWorld } from './world.ts';

export interface V1Answer {
  status: number;
  /** The BSON document, or null when the body is not BSON. */
  body: Record<string, unknown> | null;
}

/** duo_unix's query string: each pair `urlenc_encode`d, sorted as whole strings with strcmp, joined by `&`. */
export function v1QueryString(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, value]) => `${duoEncode(key)}=${duoEncode(value)}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join('&');
}

/** Sends raw REST v1 bytes to the world's server: `headers` as given, nothing added but Host. */
export function sendV1(
  world: Pick<DuoUnixWorld, 'server' | 'certs'>,
  method: string,
  target: string,
  headers: Record<string, string>,
  body = '',
): Promise<V1Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: world.server.port,
        servername: 'localhost',
        method,
        path: target,
        headers: { Host: `localhost:${world.server.port}`, ...headers },
        ca: world.certs.caPem,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const bytes = Buffer.concat(chunks);
          let parsed: Record<string, unknown> | null = null;
          try {
            parsed = deserialize(bytes) as Record<string, unknown>;
          } catch {
            parsed = null;
          }
          resolve({ status: incoming.statusCode ?? 0, body: parsed });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * A signed REST v1 call as duo_unix 1.11.3 sends it: `Host: localhost:<port>`, the signature over host `localhost`,
 * a POST's pairs in a form body, a GET's in the query.
 */
export function signedV1(
  world: Pick<DuoUnixWorld, 'server' | 'certs'>,
  keys: { ikey: string; skey: string },
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, string>,
): Promise<V1Answer> {
  const qs = v1QueryString(params);
  const signature = signV1({
    method,
    host: 'localhost',
    path,
    params: Object.entries(params),
    skey: keys.skey,
  });
  const headers: Record<string, string> = {
    'User-Agent': 'login_duo/1.11.3 (x86_64-pc-linux-gnu) libduo/1.11.3',
    Authorization: authorizationHeader(keys.ikey, signature),
  };
  if (method === 'GET') return sendV1(world, method, `${path}?${qs}`, headers);
  headers['Content-Type'] = 'application/x-www-form-urlencoded';
  headers['Content-Length'] = String(Buffer.byteLength(qs));
  return sendV1(world, method, path, headers, qs);
}
