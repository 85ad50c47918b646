// The portal's own application record: its policy governs portal sign-ins, and step-up transactions belong to it.
import { createApplication } from '../../core/admin/create-application.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { Application } from '../../core/model.ts';

export const PORTAL_APPLICATION_NAME = 'Countersign self-service portal';

/**
 * Finds or creates the portal application (type `portal`: no protocol front accepts its keys); the console has
 * its own, named `name`, so administrators can give its sign-ins a stricter policy.
 */
export function portalApplication(
  deps: CoreDeps,
  name: string = PORTAL_APPLICATION_NAME,
): () => Promise<Application> {
  let cached: Application | null = null;
  return async () => {
    const found = await deps.store.applications.findByName(name);
    if (found) {
      // Re-read each time: administrators may change the portal's policy while the server runs.
      cached = found;
      return found;
    }
    try {
      cached = (await createApplication(deps, 'portal', { name, type: 'portal' })).app;
    } catch (error) {
      // Another node created it first.
      const again = await deps.store.applications.findByName(name);
      if (!again) throw error;
      cached = again;
    }
    return cached;
  };
}
