// Connects an application: a Duo-style integration key and a secret key shown once, sealed at rest.
import { open, seal } from '../../crypto/secret-box.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { newId, newSecretKey } from '../ids.ts';
import {
  ADMIN_PERMISSIONS,
  type AdminPermission,
  type Application,
  type ApplicationType,
  DEFAULT_ADMIN_PERMISSIONS,
  type PolicyLayer,
} from '../model.ts';

/** The sealing context of an application's secret key. */
export function skeyContext(applicationId: string): string {
  return `application:${applicationId}:skey`;
}

/**
 * The grants an application of `type` gets: for `admin-api`, `requested` (checked, duplicates dropped) or the
 * default list; any other type has none, and asking for some is INVALID_INPUT.
 */
export function applicationPermissions(
  type: ApplicationType,
  requested: readonly string[] | undefined,
): AdminPermission[] {
  if (type !== 'admin-api') {
    if (requested !== undefined && requested.length > 0) {
      throw new CountersignError(
        'INVALID_INPUT',
        'permissions: only admin-api applications have permissions',
      );
    }
    return [];
  }
  if (requested === undefined) return [...DEFAULT_ADMIN_PERMISSIONS];
  const unknown = requested.filter((p) => !(ADMIN_PERMISSIONS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new CountersignError(
      'INVALID_INPUT',
      `permissions: unknown ${unknown.map((p) => `'${p}'`).join(', ')}; known: ${ADMIN_PERMISSIONS.join(', ')}`,
    );
  }
  return ADMIN_PERMISSIONS.filter((p) => requested.includes(p));
}

/** Creates an application; returns it with its secret key in plain text (the only time it is shown). */
export async function createApplication(
  deps: CoreDeps,
  actor: string,
  input: {
    name: string;
    type: ApplicationType;
    policy?: PolicyLayer;
    permissions?: readonly string[];
    legacyRestV1?: boolean;
  },
): Promise<{ app: Application; skey: string }> {
  const permissions = applicationPermissions(input.type, input.permissions);
  const now = deps.clock.now();
  const id = newId(deps.random, 'DA');
  const skey = newSecretKey(deps.random);
  const app: Application = {
    id,
    name: input.name,
    type: input.type,
    ikey: newId(deps.random, 'DI'),
    skeySealed: seal(deps.ring, Buffer.from(skey), skeyContext(id)),
    policy: input.policy ?? {},
    createdAt: now,
    legacyRestV1: input.legacyRestV1 ?? false,
    permissions,
  };
  await deps.store.atomically(async (repos) => {
    if (await repos.applications.findByName(app.name)) {
      throw new CountersignError('INVALID_INPUT', `an application named '${app.name}' already exists`);
    }
    await repos.applications.create(app);
    await audit(repos, now, {
      kind: 'admin',
      action: 'application.create',
      actor,
      applicationId: id,
      detail: {
        name: app.name,
        type: app.type,
        ...(app.type === 'admin-api' && { permissions: app.permissions }),
        ...(app.legacyRestV1 && { legacyRestV1: true }),
      },
    });
  });
  return { app, skey };
}

/** Switches Duo's legacy REST v1 on or off for an application, audited. */
export async function setLegacyRestV1(
  deps: CoreDeps,
  actor: string,
  app: Application,
  on: boolean,
): Promise<Application> {
  const now = deps.clock.now();
  await deps.store.atomically(async (repos) => {
    await repos.applications.setLegacyRestV1(app.id, on);
    await audit(repos, now, {
      kind: 'admin',
      action: 'application.legacy-rest-v1',
      actor,
      applicationId: app.id,
      detail: { name: app.name, from: app.legacyRestV1, to: on },
    });
  });
  return { ...app, legacyRestV1: on };
}

/** Opens an application's secret key (for verifying request signatures). */
export function applicationSecret(deps: Pick<CoreDeps, 'ring'>, app: Application): string {
  return open(deps.ring, app.skeySealed, skeyContext(app.id)).toString('utf8');
}

/** Finds an application by id, integration key or name, or fails with APPLICATION_NOT_FOUND. */
export async function requireApplication(deps: Pick<CoreDeps, 'store'>, ref: string): Promise<Application> {
  const app =
    (await deps.store.applications.get(ref)) ??
    (await deps.store.applications.findByIkey(ref)) ??
    (await deps.store.applications.findByName(ref));
  if (!app) throw new CountersignError('APPLICATION_NOT_FOUND', ref);
  return app;
}
