// Records an administrative call that was refused for want of a permission: who tried what, in the audit log.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';

/** Appends an `admin` entry `admin.forbidden` naming `actor`, the call and the permission it lacked. */
export async function recordRefusal(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  actor: string,
  refused: { call: string; needs: string },
): Promise<void> {
  await audit(deps.store, deps.clock.now(), {
    kind: 'admin',
    action: 'admin.forbidden',
    actor,
    result: 'forbidden',
    detail: refused,
  });
}
