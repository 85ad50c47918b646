// Verifies one signed Duo API call: the integration that signed it and the parameters its signature covers.
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { type SignedRequest, verifyDuoRequest } from '../../crypto/duo-signature/index.ts';
import { DuoApiError } from './envelope.ts';
import type { Integration } from './integration-cache.ts';
import { readRequest } from './read-request.ts';

export interface VerifyCallOptions {
  /** The integration for an ikey allowed on this API, or null (→ 40102). */
  lookup: (ikey: string) => Promise<Integration | null>;
  clock: Clock;
  skewSeconds: number;
  /** The configured public hostname, also accepted as the signed host. */
  publicHost?: string;
}

/** A verified call: who signed it, and the signed parameters in wire order (the only ones a handler reads). */
export interface VerifiedCall {
  integration: Integration;
  params: ReadonlyArray<readonly [string, string]>;
  /** The request as it was verified (its credentials and date, for replay refusal). */
  signed: SignedRequest;
}

/** Builds the check every signed route runs first; a failure throws the DuoApiError to send. */
export function callVerifier(options: VerifyCallOptions): (request: FastifyRequest) => Promise<VerifiedCall> {
  return async (request) => {
    const signed = readRequest(request);
    let integration: Integration | null = null;
    const result = await verifyDuoRequest(signed, {
      lookupSecret: async (ikey) => {
        integration = await options.lookup(ikey);
        return integration?.skey ?? null;
      },
      nowMs: options.clock.now(),
      skewMs: options.skewSeconds * 1000,
      ...(options.publicHost !== undefined && { publicHost: options.publicHost }),
    });
    if (!result.ok) throw new DuoApiError(result.httpStatus, result.code, result.message, result.detail);
    // verifyDuoRequest succeeds only after lookupSecret found the integration.
    return { integration: integration!, params: result.params, signed };
  };
}

/** The signed parameters by name for handlers; the first value of a repeated name wins. */
export function paramsByName(params: VerifiedCall['params']): Map<string, string> {
  const byName = new Map<string, string>();
  for (const [key, value] of params) if (!byName.has(key)) byName.set(key, value);
  return byName;
}
