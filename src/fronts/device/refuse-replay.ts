// Replay refusal on the device API: a signed call that changes something is accepted once, on any node.
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import { claimOnce } from '../../core/single-use/claim-once.ts';
import { DEVICE_SKEW_MS, type DeviceCredentials } from './device-auth.ts';

/**
 * Returns the check to run after a call's device signature was verified. The claim is on what was signed
 * (device, method, path, time, body), not on the signature: ECDSA signatures are randomized and malleable
 * ((r, s) and (r, n − s) both verify), so one signed text has many valid signatures.
 */
export function deviceReplayRefusal(deps: Pick<CoreDeps, 'store' | 'clock'>) {
  const claims = claimOnce(deps);
  return async function refuseReplay(
    credentials: DeviceCredentials,
    method: string,
    pathAndQuery: string,
    body: string,
  ): Promise<void> {
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const identity = [
      'device-api',
      credentials.deviceId,
      method.toUpperCase(),
      pathAndQuery,
      String(credentials.signedAt),
      bodyHash,
    ];
    if (!(await claims.claim(identity, credentials.signedAt, DEVICE_SKEW_MS))) {
      throw new CountersignError('DEVICE_UNAUTHORIZED', 'this signed call was already used');
    }
  };
}
