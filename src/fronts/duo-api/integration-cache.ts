// A short-lived cache of integrations by ikey: signature checks on every request should not re-read and re-open keys.
import type { KeyObject } from 'node:crypto';
import { applicationSecret } from '../../core/admin/create-application.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { Application } from '../../core/model.ts';
import { skeyObject } from '../../crypto/duo-signature/index.ts';

export interface Integration {
  app: Application;
  /** The skey as a KeyObject: every signature check would otherwise import the key again. */
  skey: KeyObject;
}

const TTL_MS = 5_000;

/** Looks integrations up by ikey, remembering each answer (including "unknown") for a few seconds. */
export function integrationCache(deps: Pick<CoreDeps, 'store' | 'ring'>, allowedTypes: readonly string[]) {
  const entries = new Map<string, { value: Integration | null; at: number }>();
  return async function lookup(ikey: string): Promise<Integration | null> {
    const now = Date.now();
    const hit = entries.get(ikey);
    if (hit && now - hit.at < TTL_MS) return hit.value;
    const app = await deps.store.applications.findByIkey(ikey);
    const value =
      app && allowedTypes.includes(app.type) ? { app, skey: skeyObject(applicationSecret(deps, app)) } : null;
    if (entries.size > 10_000) entries.clear();
    entries.set(ikey, { value, at: now });
    return value;
  };
}
