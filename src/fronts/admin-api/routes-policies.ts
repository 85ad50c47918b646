// Countersign's policy layers under /admin/v1/countersign/ (Duo has no such resource): read and change them,
// the enforcement dates they set, and a preview of what one user gets at one application.
import { Type } from '@sinclair/typebox';
import { requireUser } from '../../core/admin/create-user.ts';
import { previewPolicy } from '../../core/admin/policy-preview.ts';
import { type PolicyTarget, readPolicyLayer, updatePolicyLayer } from '../../core/admin/set-policy.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { PolicyLayer } from '../../core/model.ts';
import { POLICY_KEYS, parsePolicySettings } from '../../core/policy/parse-policy.ts';
import { invalidParameter, missingParameter } from '../duo-api/envelope.ts';
import { NoParams, OneOf, Params, Text } from './params.ts';
import { type AdminRoute, route } from './route.ts';
import { requireIntegration } from './routes-integrations.ts';

const Layer = Type.Record(Type.String(), Type.Unknown(), { description: 'A policy layer (docs/policy.md).' });

const targetParams = {
  target: OneOf(['global', 'application', 'group'], 'Which layer.'),
  name: Type.Optional(
    Text({ maxLength: 256, description: "The application's integration key or name, or the group's name." }),
  ),
};

/** The layer a call names; an application or group needs `name`. */
function targetOf(params: { target: string; name?: string }): PolicyTarget {
  if (params.target === 'global') {
    if (params.name !== undefined) throw invalidParameter('name: the global layer has no name');
    return { layer: 'global' };
  }
  if (params.name === undefined) throw missingParameter('name');
  return params.target === 'group'
    ? { layer: 'group', name: params.name }
    : { layer: 'application', ref: params.name };
}

/** Every layer that is set: global, then applications and groups by name. */
async function allLayers(deps: Pick<CoreDeps, 'store'>) {
  const [global, apps, groups] = await Promise.all([
    readPolicyLayer(deps, { layer: 'global' }),
    deps.store.applications.list(),
    deps.store.groups.list(),
  ]);
  return {
    global,
    applications: apps
      .filter((app) => Object.keys(app.policy).length > 0)
      .map((app) => ({ integration_key: app.ikey, name: app.name, policy: app.policy })),
    groups: groups
      .filter((group) => Object.keys(group.policy).length > 0)
      .map((group) => ({ name: group.name, policy: group.policy })),
  };
}

const listPolicies = route({
  method: 'GET',
  path: '/v1/countersign/policies',
  grant: 'settings',
  summary: 'The global policy layer and every application and group layer that sets something.',
  params: NoParams,
  pathParams: NoParams,
  response: Type.Object({
    global: Layer,
    applications: Type.Array(
      Type.Object({ integration_key: Type.String(), name: Type.String(), policy: Layer }),
    ),
    groups: Type.Array(Type.Object({ name: Type.String(), policy: Layer })),
  }),
  async handler({ deps }) {
    return { response: await allLayers(deps) };
  },
});

const setPolicy = route({
  method: 'POST',
  path: '/v1/countersign/policies',
  grant: 'settings',
  summary:
    'Changes one layer: each policy key sent is set, or cleared when empty (the values of `countersign policy set`).',
  params: Params({
    ...targetParams,
    ...Object.fromEntries(
      POLICY_KEYS.map((key) => [
        key,
        Type.Optional(
          Text({ maxLength: 256, minLength: 0, description: `${key} (docs/policy.md); empty clears it.` }),
        ),
      ]),
    ),
  }),
  pathParams: NoParams,
  response: Layer,
  async handler({ deps }, { actor, params }) {
    const values = params as Record<string, string | undefined>;
    const settings = POLICY_KEYS.filter((key) => values[key] !== undefined).map(
      (key) => `${key}=${values[key]}`,
    );
    if (settings.length === 0) throw missingParameter(`one of ${POLICY_KEYS.join(', ')}`);
    const change = parsePolicySettings(settings);
    return { response: await updatePolicyLayer(deps, actor, targetOf(params), change) };
  },
});

const listEnforcementDates = route({
  method: 'GET',
  path: '/v1/countersign/enforcement_dates',
  grant: 'settings',
  summary: 'Every layer with an enforcement date: before it, a second factor is offered, not required.',
  params: NoParams,
  pathParams: NoParams,
  response: Type.Array(
    Type.Object({
      target: Type.String(),
      name: Type.Union([Type.String(), Type.Null()]),
      enforcement_date: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  async handler({ deps }) {
    const layers = await allLayers(deps);
    const dated = (layer: PolicyLayer) => layer.enforcementDate !== undefined;
    return {
      response: [
        ...(dated(layers.global)
          ? [{ target: 'global', name: null, enforcement_date: layers.global.enforcementDate ?? null }]
          : []),
        ...layers.applications
          .filter((app) => dated(app.policy))
          .map((app) => ({
            target: 'application',
            name: app.name,
            enforcement_date: app.policy.enforcementDate ?? null,
          })),
        ...layers.groups
          .filter((group) => dated(group.policy))
          .map((group) => ({
            target: 'group',
            name: group.name,
            enforcement_date: group.policy.enforcementDate ?? null,
          })),
      ],
    };
  },
});

const setEnforcementDate = route({
  method: 'POST',
  path: '/v1/countersign/enforcement_dates',
  grant: 'settings',
  summary:
    "Sets one layer's enforcement date (YYYY-MM-DD), or `none` to clear an inherited one, or empty to unset it.",
  params: Params({
    ...targetParams,
    enforcement_date: Text({ maxLength: 10, minLength: 0, description: 'YYYY-MM-DD, none, or empty.' }),
  }),
  pathParams: NoParams,
  response: Layer,
  async handler({ deps }, { actor, params }) {
    const change = parsePolicySettings([`enforcementDate=${params.enforcement_date}`]);
    return { response: await updatePolicyLayer(deps, actor, targetOf(params), change) };
  },
});

const preview = route({
  method: 'GET',
  path: '/v1/countersign/policy_preview',
  grant: 'read-resource',
  summary:
    'The policy one user gets at one integration (global, then the application, then their groups by name: ' +
    'later layers win field by field), which layer sets which field, and in plain words what happens now.',
  params: Params({
    username: Text({ maxLength: 256, description: "The user's name, an alias or their id." }),
    integration_key: Text({ maxLength: 128, description: "The integration's key (DI…)." }),
  }),
  pathParams: NoParams,
  response: Type.Object({
    policy: Layer,
    layers: Type.Array(
      Type.Object({
        level: Type.Union([Type.Literal('global'), Type.Literal('application'), Type.Literal('group')]),
        name: Type.Union([Type.String(), Type.Null()]),
        fields: Type.Array(Type.String(), { description: 'The fields this layer sets.' }),
      }),
    ),
    explanation: Type.String(),
  }),
  async handler({ deps }, { params }) {
    const [user, app] = await Promise.all([
      requireUser(deps, params.username),
      requireIntegration(deps, params.integration_key),
    ]);
    return { response: await previewPolicy(deps, user, app) };
  },
});

export const POLICY_ROUTES: AdminRoute[] = [
  preview,
  listPolicies,
  setPolicy,
  listEnforcementDates,
  setEnforcementDate,
];
