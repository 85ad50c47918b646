// A SAML service provider is an application of type `saml`: its SP record (entity ID, ACS, certificates, NameID and
// attribute rules) is kept in the application's settings, with an index from the entity ID to the application.
import { createHash } from 'node:crypto';
import { defineSp, type SpRecord } from '../../saml/sp-record.ts';
import { createApplication } from '../admin/create-application.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Application, PolicyLayer } from '../model.ts';
import type { Repositories } from '../repositories.ts';

/** The settings key of an application's SP record. */
export function samlSpKey(app: Pick<Application, 'id'>): string {
  return `saml-sp:${app.id}`;
}

/** The settings key naming the application registered under `entityId` (hashed: entity IDs may be long URLs). */
function entityKey(entityId: string): string {
  return `saml-sp-entity:${createHash('sha256').update(entityId).digest('base64url')}`;
}

/** The SP record of a `saml` application, or null. */
export async function readSpRecord(
  repos: Pick<Repositories, 'settings'>,
  app: Application,
): Promise<SpRecord | null> {
  if (app.type !== 'saml') return null;
  return repos.settings.get<SpRecord>(samlSpKey(app));
}

/** The application and SP record registered under `entityId`, or null. */
export async function findServiceProvider(
  repos: Pick<Repositories, 'settings' | 'applications'>,
  entityId: string,
): Promise<{ app: Application; sp: SpRecord } | null> {
  if (entityId.length === 0 || entityId.length > 1024) return null;
  const appId = await repos.settings.get<string>(entityKey(entityId));
  const app = appId ? await repos.applications.get(appId) : null;
  const sp = app ? await readSpRecord(repos, app) : null;
  // The index is checked against the record: an entry left by a replaced record never resolves.
  return app && sp?.entityId === entityId ? { app, sp } : null;
}

/** Connects a SAML service provider (the record already checked by defineSp); one application per entity ID. */
export async function createServiceProvider(
  deps: CoreDeps,
  actor: string,
  input: { name: string; sp: SpRecord; policy?: PolicyLayer },
): Promise<{ app: Application; sp: SpRecord }> {
  // Re-checked: a record read from a file or built by hand gets the same checks as one from defineSp.
  const sp = defineSp(input.sp);
  if (await findServiceProvider(deps.store, sp.entityId)) {
    throw new CountersignError('INVALID_INPUT', `a service provider '${sp.entityId}' is already connected`);
  }
  const { app } = await createApplication(deps, actor, {
    name: input.name,
    type: 'saml',
    ...(input.policy && { policy: input.policy }),
  });
  await deps.store.settings.set(samlSpKey(app), sp);
  await deps.store.settings.set(entityKey(sp.entityId), app.id);
  return { app, sp };
}
