// The portal's own application record: its policy governs portal sign-ins, and step-up transactions belong to it.
import { createApplication } from '../../core/admin/create-application.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { Application } from '../../core/model.ts';

export const PORTAL_APPLICATION_NAME = 'Countersign self-service portal';

/** Finds or creates the portal application (type `portal`: no protocol front accepts its keys). */
export function portalApplication(deps: CoreDeps): () => Promise<Application> {
  let cached: Application | null = null;
  return async () => {
    const found = await deps.store.applications.findByName(PORTAL_APPLICATION_NAME);
    if (found) {
      // Re-read each time: administrators may change the portal's policy while the server runs.
      cached = found;
      return found;
    }
    try {
      cached = (await createApplication(deps, 'portal', { name: PORTAL_APPLICATION_NAME, type: 'portal' }))
        .app;
    } catch (error) {
      // Another node created it first.
      const again = await deps.store.applications.findByName(PORTAL_APPLICATION_NAME);
      if (!again) throw error;
      cached = again;
    }
    return cached;
  };
}
