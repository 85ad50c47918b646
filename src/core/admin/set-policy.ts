// Changes one policy layer (global, an application's or a group's), audited.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { PolicyLayer } from '../model.ts';

export type PolicyTarget =
  | { layer: 'global' }
  | { layer: 'application'; ref: string }
  | { layer: 'group'; name: string };

/** The layer as stored now (empty when unset). */
export async function readPolicyLayer(
  deps: Pick<CoreDeps, 'store'>,
  target: PolicyTarget,
): Promise<PolicyLayer> {
  if (target.layer === 'global') return (await deps.store.settings.get<PolicyLayer>('policy')) ?? {};
  if (target.layer === 'group') return (await deps.store.groups.get(target.name))?.policy ?? {};
  const app =
    (await deps.store.applications.findByName(target.ref)) ??
    (await deps.store.applications.findByIkey(target.ref));
  if (!app) throw new CountersignError('APPLICATION_NOT_FOUND', target.ref);
  return app.policy;
}

/** Applies `set` and removes `clear` in one layer; returns the layer after the change. */
export async function updatePolicyLayer(
  deps: CoreDeps,
  actor: string,
  target: PolicyTarget,
  change: { set: PolicyLayer; clear: Array<keyof PolicyLayer> },
): Promise<PolicyLayer> {
  return deps.store.atomically(async (repos) => {
    const apply = (layer: PolicyLayer): PolicyLayer => {
      const next: Record<string, unknown> = { ...layer, ...change.set };
      for (const key of change.clear) delete next[key];
      return next as PolicyLayer;
    };
    let next: PolicyLayer;
    let applicationId: string | null = null;
    if (target.layer === 'global') {
      next = apply((await repos.settings.get<PolicyLayer>('policy')) ?? {});
      await repos.settings.set('policy', next);
    } else if (target.layer === 'group') {
      next = apply((await repos.groups.get(target.name))?.policy ?? {});
      await repos.groups.upsert({ name: target.name, policy: next });
    } else {
      const app =
        (await repos.applications.findByName(target.ref)) ??
        (await repos.applications.findByIkey(target.ref));
      if (!app) throw new CountersignError('APPLICATION_NOT_FOUND', target.ref);
      next = apply(app.policy);
      applicationId = app.id;
      await repos.applications.updatePolicy(app.id, next);
    }
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'policy.update',
      actor,
      applicationId,
      detail: { target, set: change.set, clear: change.clear },
    });
    return next;
  });
}
