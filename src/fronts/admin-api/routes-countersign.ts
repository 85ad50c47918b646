// Countersign's own resources where Duo has none, under /admin/v1/countersign/: RADIUS clients, directories, fraud
// reports and their review status, signing a user out everywhere (policies: routes-policies.ts; the console's rollout and dashboard:
// routes-rollout.ts).
import { Type } from '@sinclair/typebox';
import { setFraudReportStatus } from '../../core/admin/fraud-reports.ts';
import { listRadiusClients, removeRadiusClient } from '../../core/admin/radius-clients.ts';
import { listDirectories } from '../../core/directory/index.ts';
import { FRAUD_REPORT_STATUSES } from '../../core/model.ts';
import { signUserOut } from '../../core/sso/sign-user-out.ts';
import { Id, NoParams, OneOf, Params, Text, Whole } from './params.ts';
import { type AdminRoute, route } from './route.ts';
import { requireUserById, UserPath } from './routes-users.ts';

const listRadius = route({
  method: 'GET',
  path: '/v1/countersign/radius_clients',
  grant: 'settings',
  summary: 'The RADIUS clients (VPN concentrators), without their shared secrets.',
  params: NoParams,
  pathParams: NoParams,
  response: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  async handler({ deps }) {
    return { response: await listRadiusClients(deps) };
  },
});

const removeRadius = route({
  method: 'DELETE',
  path: '/v1/countersign/radius_clients/{name}',
  grant: 'settings',
  summary: 'Removes a RADIUS client; a running server stops answering it within seconds.',
  params: NoParams,
  pathParams: Params({ name: Text({ maxLength: 128, description: "The client's name." }) }),
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    const known = (await listRadiusClients(deps)).some((client) => client.name === path.name);
    if (known) await removeRadiusClient(deps, actor, path.name);
    return { response: '' };
  },
});

const listDirectoriesRoute = route({
  method: 'GET',
  path: '/v1/countersign/directories',
  grant: 'settings',
  summary: 'The LDAP / Active Directory directories, without their bind passwords.',
  params: NoParams,
  pathParams: NoParams,
  response: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  async handler({ deps }) {
    return { response: await listDirectories(deps) };
  },
});

const fraudReports = route({
  method: 'GET',
  path: '/v1/countersign/fraud_reports',
  grant: 'read-log',
  summary: 'Pushes users reported as fraud, oldest first (the newest `limit`), each with its review status.',
  params: Params({
    limit: Whole({ minimum: 1, maximum: 500, default: 100, description: 'How many of the newest reports.' }),
  }),
  pathParams: NoParams,
  response: Type.Array(
    Type.Object({
      id: Type.String({ description: 'The report, for POST /v1/countersign/fraud_reports/{id}.' }),
      status: OneOf(FRAUD_REPORT_STATUSES, 'Open until an administrator reviews or dismisses it.'),
      timestamp: Type.Integer(),
      user_id: Type.String(),
      username: Type.String(),
      application: Type.Union([Type.String(), Type.Null()]),
      txid: Type.String(),
      ip: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  async handler({ deps }, { params }) {
    const reports = await deps.store.alerts.listReports(params.limit);
    return {
      response: reports.map((alert) => ({
        id: alert.id,
        status: alert.status,
        timestamp: Math.floor(alert.at / 1000),
        user_id: alert.userId,
        username: alert.username,
        application: alert.application,
        txid: alert.txid,
        ip: alert.ip,
      })),
    };
  },
});
const signOutUser = route({
  method: 'POST',
  path: '/v1/countersign/users/{user_id}/sign_out',
  grant: 'write-resource',
  summary:
    'Signs a user out everywhere, as `countersign user sign-out` does: every portal and single sign-on session and remembered browser ends, OpenID tokens are revoked and OpenID clients are told over the back channel.',
  params: NoParams,
  pathParams: UserPath,
  response: Type.Object({
    ended: Type.Integer({ description: 'Browser sessions and remembered logins ended.' }),
    notified: Type.Integer({ description: 'Relying parties told over the back channel.' }),
  }),
  async handler(context, { actor, path }) {
    const user = await requireUserById(context.deps, path.user_id);
    return { response: await signUserOut(context.deps, actor, user, context.signOutListeners?.() ?? []) };
  },
});

const fraudReportStatus = route({
  method: 'POST',
  path: '/v1/countersign/fraud_reports/{id}',
  grant: 'write-resource',
  summary: 'Marks a fraud report reviewed or dismissed (or open again).',
  params: Params({ status: OneOf(FRAUD_REPORT_STATUSES, 'The new status.') }),
  pathParams: Params({ id: Id("The report's id.") }),
  response: Type.Literal(''),
  async handler({ deps }, { actor, params, path }) {
    await setFraudReportStatus(deps, actor, path.id, params.status);
    return { response: '' };
  },
});

export const COUNTERSIGN_ROUTES: AdminRoute[] = [
  listRadius,
  removeRadius,
  listDirectoriesRoute,
  fraudReports,
  signOutUser,
  fraudReportStatus,
];
