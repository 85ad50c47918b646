// Verifies one REST v1 call: the signature (else 401), then that its application has REST v1 switched on.
import type { CoreDeps } from '../../core/deps.ts';
import type { Application } from '../../core/model.ts';
import { type SignedRequest, type VerifyFailure, verifyV1Request } from '../../crypto/duo-signature/index.ts';
import { integrationCache } from '../duo-api/integration-cache.ts';
import { paramsByName } from '../duo-api/verify-call.ts';
import { V1Refusal } from './denial.ts';

/** A call whose signature held: its application and the signed parameters by name (the first value wins). */
export type V1Verified = { ok: true; app: Application; params: Map<string, string> } | VerifyFailure;

export type V1Verifier = (signed: SignedRequest) => Promise<V1Verified>;

/**
 * Builds the check every REST v1 route runs first. Auth API integrations only; one with REST v1 off gets a
 * denial that says so (never a 401, which a `failmode = safe` client would turn into a login).
 */
export function verifyV1Call(options: { deps: CoreDeps; publicHost?: string }): V1Verifier {
  const lookup = integrationCache(options.deps, ['auth-api']);
  return async (signed) => {
    let app: Application | null = null;
    const result = await verifyV1Request(signed, {
      lookupSecret: async (ikey) => {
        const integration = await lookup(ikey);
        app = integration?.app ?? null;
        return integration?.skey ?? null;
      },
      ...(options.publicHost !== undefined && { publicHost: options.publicHost }),
    });
    if (!result.ok) return result;
    // verifyV1Request succeeds only after lookupSecret found the integration.
    const found = app as Application | null;
    if (!found?.legacyRestV1) {
      throw new V1Refusal(
        'Legacy REST v1 is switched off for this application: ask an administrator to switch it on.',
        40301,
      );
    }
    return { ok: true, app: found, params: paramsByName(result.params) };
  };
}
