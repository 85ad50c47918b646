// Renames, re-notes and deletes applications (integrations), each change audited.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Application } from '../model.ts';
import { oidcClientKey } from '../oidc/client-settings.ts';
import { samlSpKey } from '../saml/service-providers.ts';

/** Most characters of an application's name and notes. */
export const APPLICATION_NAME_MAX = 100;
export const APPLICATION_NOTES_MAX = 1_000;

/** Changes an application's name and/or notes; the audit entry records what changed from what. */
export async function updateApplication(
  deps: CoreDeps,
  actor: string,
  app: Application,
  patch: { name?: string; notes?: string },
): Promise<Application> {
  const name = patch.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > APPLICATION_NAME_MAX)) {
    throw new CountersignError('INVALID_INPUT', `name: 1 to ${APPLICATION_NAME_MAX} characters`);
  }
  if (patch.notes !== undefined && patch.notes.length > APPLICATION_NOTES_MAX) {
    throw new CountersignError('INVALID_INPUT', `notes: at most ${APPLICATION_NOTES_MAX} characters`);
  }
  const change = {
    ...(name !== undefined && name !== app.name && { name }),
    ...(patch.notes !== undefined && patch.notes !== (app.notes ?? '') && { notes: patch.notes }),
  };
  if (Object.keys(change).length === 0) return app;
  await deps.store.atomically(async (repos) => {
    await repos.applications.update(app.id, change);
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'application.update',
      actor,
      applicationId: app.id,
      detail: {
        ...(change.name !== undefined && { name: { from: app.name, to: change.name } }),
        ...(change.notes !== undefined && { notes: true }),
      },
    });
  });
  return { ...app, ...change };
}

/**
 * Deletes an application: its keys stop verifying at once on this node and within seconds on others (the
 * signature checkers cache integrations briefly); its log entries stay. A SAML or OIDC record goes with it.
 */
export async function deleteApplication(deps: CoreDeps, actor: string, app: Application): Promise<void> {
  await deps.store.atomically(async (repos) => {
    if (!(await repos.applications.remove(app.id))) return;
    if (app.type === 'saml') await repos.settings.set(samlSpKey(app), null);
    if (app.type === 'oidc') await repos.settings.set(oidcClientKey(app), null);
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'application.delete',
      actor,
      applicationId: app.id,
      detail: { name: app.name, type: app.type, ikey: app.ikey },
    });
  });
}
