// Duo's account summary and integration list.
import { Type } from '@sinclair/typebox';
import {
  ADMIN_PERMISSIONS,
  type AdminPermission,
  type Application,
  type PolicyLayer,
} from '../../core/model.ts';
import { resolvePolicy } from '../../core/policy/resolve-policy.ts';
import { budgetDay } from '../../telephony/telephony-limits.ts';
import { NoParams, Params, paging } from './params.ts';
import { type AdminRoute, pageMetadata, route } from './route.ts';

const summary = route({
  method: 'GET',
  path: '/v1/info/summary',
  grant: 'read-info',
  summary: 'Counts of users and integrations, and the telephony credits left today.',
  params: NoParams,
  pathParams: NoParams,
  response: Type.Object({
    admin_count: Type.Integer({ description: 'Administrators (users with a console role).' }),
    integration_count: Type.Integer(),
    telephony_credits_remaining: Type.Integer({
      description: "Credits left in today's budget (UTC); -1 when there is no budget.",
    }),
    user_count: Type.Integer(),
  }),
  async handler({ deps, dailyCreditBudget }, _call) {
    const [users, admins, apps, spent] = await Promise.all([
      deps.store.users.count(),
      deps.store.administrators.count(),
      deps.store.applications.list(),
      deps.store.telephony.creditsSpent(budgetDay(deps.clock.now())),
    ]);
    return {
      response: {
        admin_count: admins,
        integration_count: apps.length,
        telephony_credits_remaining: dailyCreditBudget > 0 ? Math.max(0, dailyCreditBudget - spent) : -1,
        user_count: users,
      },
    };
  },
});

/** Duo's integration type for ours (Countersign's own is in `countersign_type`). */
const DUO_TYPES: Record<Application['type'], string> = {
  'auth-api': 'authapi',
  'admin-api': 'adminapi',
  radius: 'radius',
  universal: 'websdk',
  oidc: 'sso-oidc-generic',
  saml: 'sso-generic',
  portal: 'countersign-portal',
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

function describeIntegration(app: Application, global: PolicyLayer) {
  return {
    integration_key: app.ikey,
    name: app.name,
    type: DUO_TYPES[app.type],
    countersign_type: app.type,
    notes: '',
    enroll_policy: ENROLL_POLICIES[resolvePolicy(global, app.policy).newUserPolicy] ?? 'enroll',
    ...Object.fromEntries(
      ADMIN_PERMISSIONS.map((grant) => [GRANT_FIELDS[grant], app.permissions.includes(grant) ? 1 : 0]),
    ),
  };
}

/** Duo moved integrations to v3; v1 paths are still used by older scripts. Never a secret key: it was shown once. */
const integrations = (version: 'v1' | 'v3') =>
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
      const apps = await deps.store.applications.list();
      const global = (await deps.store.settings.get<PolicyLayer>('policy')) ?? {};
      const page = apps.slice(params.offset, params.offset + params.limit);
      return {
        response: page.map((app) => describeIntegration(app, global)),
        metadata: pageMetadata(apps.length, params.offset, params.limit, page.length),
      };
    },
  });

export const INFO_ROUTES: AdminRoute[] = [summary, integrations('v1'), integrations('v3')];
