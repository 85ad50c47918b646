// CSRF defence for browser APIs: state-changing requests must come from our own origin and carry the session's token.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { CountersignError } from '../../core/errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/** Throws CSRF unless a state-changing request has our Origin and (when a session exists) its CSRF token. */
export function checkCsrf(request: FastifyRequest, publicOrigin: string, sessionCsrf: string | null): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== publicOrigin) {
    throw new CountersignError('CSRF', `cross-origin request refused (Origin ${origin})`);
  }
  if (sessionCsrf === null) return;
  const sent = request.headers[CSRF_HEADER];
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  const expected = Buffer.from(sessionCsrf);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new CountersignError('CSRF', 'missing or wrong CSRF token');
  }
}
