// Layers policy global → application → groups into the one policy a login is held to.
import type { Policy, PolicyLayer } from '../model.ts';
import { DEFAULT_POLICY, MAX_LOCKOUT_THRESHOLD, MAX_PUSH_TIMEOUT_SECONDS } from './defaults.ts';

/** Applies `layers` in order over the defaults; later layers win field by field. */
export function resolvePolicy(...layers: Array<PolicyLayer | null | undefined>): Policy {
  const policy: Policy = { ...DEFAULT_POLICY };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer) as Array<[keyof Policy, unknown]>) {
      if (value !== undefined) (policy as Record<keyof Policy, unknown>)[key] = value;
    }
  }
  policy.lockoutThreshold = Math.min(Math.max(1, policy.lockoutThreshold), MAX_LOCKOUT_THRESHOLD);
  policy.pushTimeoutSeconds = Math.min(Math.max(10, policy.pushTimeoutSeconds), MAX_PUSH_TIMEOUT_SECONDS);
  return policy;
}

/** Group layers in a stable order (by group name), so a user in several groups always gets the same result. */
export function groupLayers(groupNames: string[], groups: ReadonlyMap<string, PolicyLayer>): PolicyLayer[] {
  return [...groupNames]
    .sort()
    .map((name) => groups.get(name))
    .filter((layer): layer is PolicyLayer => layer !== undefined);
}

/** True while an application's enforcement date has not come: MFA is offered, not required. */
export function beforeEnforcement(policy: Policy, now: number): boolean {
  if (!policy.enforcementDate) return false;
  return now < Date.parse(`${policy.enforcementDate}T00:00:00Z`);
}
