// Duo's integrations: applications by their integration key — list, create (the secret shown once), read, modify,
// delete. Logic in core/admin (create-application.ts, manage-applications.ts); these routes only translate.
import { Type } from '@sinclair/typebox';
import { createApplication } from '../../core/admin/create-application.ts';
import {
  APPLICATION_NAME_MAX,
  APPLICATION_NOTES_MAX,
  deleteApplication,
  updateApplication,
} from '../../core/admin/manage-applications.ts';
import { CountersignError } from '../../core/errors.ts';
import {
  ADMIN_PERMISSIONS,
  type AdminPermission,
  type Application,
  type ApplicationType,
  type PolicyLayer,
} from '../../core/model.ts';
import { resolvePolicy } from '../../core/policy/resolve-policy.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import { Flag, Id, NoParams, Params, paging, Text } from './params.ts';
import { type AdminApiContext, type AdminRoute, pageMetadata, route } from './route.ts';

/** Duo's integration type for ours (Countersign's own is in `countersign_type`). */
const DUO_TYPES: Record<ApplicationType, string> = {
  'auth-api': 'authapi',
  'admin-api': 'adminapi',
  radius: 'radius',
  universal: 'websdk',
  oidc: 'sso-oidc-generic',
  saml: 'sso-generic',
  portal: 'countersign-portal',
};

/** Types a name and a type are enough to create (by Duo's name or ours); OIDC and SAML need more (the CLI). */
const CREATABLE: Record<string, ApplicationType> = {
  authapi: 'auth-api',
  'auth-api': 'auth-api',
  adminapi: 'admin-api',
  'admin-api': 'admin-api',
  radius: 'radius',
  websdk: 'universal',
  universal: 'universal',
};

/** Duo's `adminapi_*` flag for each grant. */
const GRANT_FIELDS: Record<AdminPermission, string> = {
  'read-resource': 'adminapi_read_resource',
  'write-resource': 'adminapi_write_resource',
  'read-log': 'adminapi_read_log',
  'read-info': 'adminapi_info',
  applications: 'adminapi_integrations',
  settings: 'adminapi_settings',
  administrators: 'adminapi_admins',
};

const ENROLL_POLICIES: Record<string, string> = {
  'require-enrollment': 'enroll',
  allow: 'allow',
  deny: 'deny',
};

const IntegrationSchema = Type.Object({
  integration_key: Type.String(),
  name: Type.String(),
  type: Type.String(),
  countersign_type: Type.String(),
  notes: Type.String(),
  enroll_policy: Type.String({ description: 'What happens to an unknown user: enroll, allow or deny.' }),
  ...Object.fromEntries(
    ADMIN_PERMISSIONS.map((grant) => [GRANT_FIELDS[grant], Type.Integer({ minimum: 0, maximum: 1 })]),
  ),
});

const CreatedSchema = Type.Composite([
  IntegrationSchema,
  Type.Object({ secret_key: Type.String({ description: 'Shown this once: it is stored sealed.' }) }),
]);

const IntegrationPath = Params({ integration_key: Id("The integration's key (DI…).") });

const Name = Text({ maxLength: APPLICATION_NAME_MAX, description: "The integration's name (unique)." });
const Notes = Text({ minLength: 0, maxLength: APPLICATION_NOTES_MAX, description: 'Free text about it.' });

function describeIntegration(app: Application, global: PolicyLayer | null) {
  return {
    integration_key: app.ikey,
    name: app.name,
    type: DUO_TYPES[app.type],
    countersign_type: app.type,
    notes: app.notes ?? '',
    enroll_policy: ENROLL_POLICIES[resolvePolicy(global, app.policy).newUserPolicy] ?? 'enroll',
    ...Object.fromEntries(
      ADMIN_PERMISSIONS.map((grant) => [GRANT_FIELDS[grant], app.permissions.includes(grant) ? 1 : 0]),
    ),
  };
}

const globalPolicy = (deps: AdminApiContext['deps']) => deps.store.settings.get<PolicyLayer>('policy');

/** An integration by its key; 404 for an unknown key (Duo's path is the key, never an id or a name). */
export async function requireIntegration(deps: AdminApiContext['deps'], ikey: string): Promise<Application> {
  const app = await deps.store.applications.findByIkey(ikey);
  if (!app) throw new CountersignError('APPLICATION_NOT_FOUND', ikey);
  return app;
}

/** Duo moved integrations to v3; v1 paths are still used by older scripts. Never a secret key: it was shown once. */
const list = (version: 'v1' | 'v3') =>
  route({
    method: 'GET',
    path: `/${version}/integrations`,
    grant: 'applications',
    summary: 'Integrations (applications) in name order, a page at a time, without their secret keys.',
    params: Params(paging(300)),
    pathParams: NoParams,
    response: Type.Array(IntegrationSchema),
    paged: true,
    async handler({ deps }, { params }) {
      // Integrations number in the dozens: one read of all, sliced.
      const [apps, global] = await Promise.all([deps.store.applications.list(), globalPolicy(deps)]);
      const page = apps.slice(params.offset, params.offset + params.limit);
      return {
        response: page.map((app) => describeIntegration(app, global)),
        metadata: pageMetadata(apps.length, params.offset, params.limit, page.length),
      };
    },
  });

const create = route({
  method: 'POST',
  path: '/v1/integrations',
  grant: 'applications',
  summary:
    'Creates an integration (authapi, adminapi, radius or websdk; OIDC and SAML are connected with the CLI). ' +
    'The answer holds its secret key: shown this once.',
  params: Params({
    name: Name,
    type: Text({
      maxLength: 32,
      description: 'authapi, adminapi, radius or websdk (or auth-api, admin-api, universal).',
    }),
    notes: Type.Optional(Notes),
    ...Object.fromEntries(
      ADMIN_PERMISSIONS.map((grant) => [
        GRANT_FIELDS[grant],
        Type.Optional(Flag(`adminapi only: grant '${grant}' (the caller must hold it).`)),
      ]),
    ),
  }),
  pathParams: NoParams,
  response: CreatedSchema,
  async handler({ deps }, { actor, grants, params }) {
    const type = Object.hasOwn(CREATABLE, params.type) ? CREATABLE[params.type]! : undefined;
    if (type === undefined) {
      throw invalidParameter(
        `type: must be one of authapi, adminapi, radius, websdk (OIDC and SAML: countersign app add)`,
      );
    }
    const flags = params as Record<string, unknown>;
    const asked = ADMIN_PERMISSIONS.filter((grant) => flags[GRANT_FIELDS[grant]] === true);
    if (type !== 'admin-api' && asked.length > 0) {
      throw invalidParameter(`${GRANT_FIELDS[asked[0]!]}: only adminapi integrations have grants`);
    }
    // No integration hands out more than it holds: a grant it lacks would be a way around its own limits.
    const beyond = asked.find((grant) => !grants.includes(grant));
    if (beyond !== undefined) {
      throw invalidParameter(`${GRANT_FIELDS[beyond]}: the caller lacks the '${beyond}' permission itself`);
    }
    const { app, skey } = await createApplication(deps, actor, {
      name: params.name.trim(),
      type,
      ...(type === 'admin-api' && asked.length > 0 && { permissions: asked }),
    });
    const stored =
      params.notes === undefined ? app : await updateApplication(deps, actor, app, { notes: params.notes });
    return { response: { ...describeIntegration(stored, await globalPolicy(deps)), secret_key: skey } };
  },
});

const get = route({
  method: 'GET',
  path: '/v1/integrations/{integration_key}',
  grant: 'applications',
  summary: 'One integration, without its secret key.',
  params: NoParams,
  pathParams: IntegrationPath,
  response: IntegrationSchema,
  async handler({ deps }, { path }) {
    const app = await requireIntegration(deps, path.integration_key);
    return { response: describeIntegration(app, await globalPolicy(deps)) };
  },
});

const modify = route({
  method: 'POST',
  path: '/v1/integrations/{integration_key}',
  grant: 'applications',
  summary:
    'Renames an integration or changes its notes (its keys and type stay; a policy: /v1/countersign/policies).',
  params: Params({ name: Type.Optional(Name), notes: Type.Optional(Notes) }),
  pathParams: IntegrationPath,
  response: IntegrationSchema,
  async handler({ deps }, { actor, params, path }) {
    const app = await requireIntegration(deps, path.integration_key);
    const changed = await updateApplication(deps, actor, app, {
      ...(params.name !== undefined && { name: params.name }),
      ...(params.notes !== undefined && { notes: params.notes }),
    });
    return { response: describeIntegration(changed, await globalPolicy(deps)) };
  },
});

const remove = route({
  method: 'DELETE',
  path: '/v1/integrations/{integration_key}',
  grant: 'applications',
  summary: 'Deletes an integration: its keys stop working (within seconds on every node); a repeat succeeds.',
  params: NoParams,
  pathParams: IntegrationPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, ikey, path }) {
    if (path.integration_key === ikey) {
      throw invalidParameter('integration_key: an integration cannot delete itself');
    }
    const app = await deps.store.applications.findByIkey(path.integration_key);
    if (app) await deleteApplication(deps, actor, app);
    return { response: '' };
  },
});

export const INTEGRATION_ROUTES: AdminRoute[] = [list('v1'), list('v3'), create, get, modify, remove];
