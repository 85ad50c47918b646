// REST v1 answers are BSON documents (MongoDB's format, serialized by the `bson` package): OK, FAIL, or 401.
import { createRequire } from 'node:module';
import type { FastifyReply } from 'fastify';

type Bson = typeof import('bson');

// Loaded with the first REST v1 answer, not at start: most servers never see a duo_unix 1.x client (issue 14, idle
// memory). `require` gives bson's CommonJS build, which writes the same bytes as its ES module build.
const require = createRequire(import.meta.url);
let bson: Bson | undefined;

/** A REST v1 body: `{stat: "OK", response}` or `{stat: "FAIL", code, message}` (code an int32, as duo_unix reads). */
export type V1Body =
  | { stat: 'OK'; response: Record<string, unknown> }
  | { stat: 'FAIL'; code: number; message: string };

/** `{stat: "OK", response}`. */
export function ok(response: Record<string, unknown>): V1Body {
  return { stat: 'OK', response };
}

/** `{stat: "FAIL", code, message}`: duo_unix 1.x logs `code: message` and counts the attempt as failed. */
export function fail(code: number, message: string): V1Body {
  return { stat: 'FAIL', code, message };
}

/** Sends `body` as BSON with `status` (200 for everything but a refused signature). */
export function sendBson(reply: FastifyReply, body: V1Body, status = 200): FastifyReply {
  bson ??= require('bson') as Bson;
  return reply
    .code(status)
    .type('application/bson')
    .send(Buffer.from(bson.serialize(body)));
}
