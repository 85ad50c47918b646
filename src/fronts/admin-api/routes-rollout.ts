// The console's rollout and dashboard under /admin/v1/countersign/ (Duo has neither): enrollment per application
// with its enforcement date, who has not enrolled, reminders to them (or one user's enrollment e-mail); sign-ins
// per day. Logic in core/admin.
import { Type } from '@sinclair/typebox';
import { dashboard } from '../../core/admin/dashboard.ts';
import {
  notEnrolled,
  rollout,
  type SendReminder,
  sendEnrollmentEmail,
  sendEnrollmentReminders,
} from '../../core/admin/rollout.ts';
import { CountersignError } from '../../core/errors.ts';
import { activationLink } from '../../device-protocol/activation-link.ts';
import { UserSummarySchema } from './objects.ts';
import { Id, NoParams, Params, paging, Whole } from './params.ts';
import { type AdminMail, type AdminRoute, pageMetadata, route } from './route.ts';
import { requireIntegration } from './routes-integrations.ts';
import { requireUserById, UserPath } from './routes-users.ts';

const IntegrationPath = Params({ integration_key: Id("The integration's key (DI…).") });

const dashboardRoute = route({
  method: 'GET',
  path: '/v1/countersign/dashboard',
  grant: 'read-log',
  summary:
    'Sign-ins per UTC day by result (allow, deny — every refusal —, fraud), failed sign-ins in the last 24 hours, ' +
    'fraud reports awaiting review, and how many users have enrolled.',
  params: Params({
    days: Whole({ minimum: 1, maximum: 90, default: 14, description: 'How many days, today included.' }),
  }),
  pathParams: NoParams,
  response: Type.Object({
    sign_ins: Type.Array(
      Type.Object({
        day: Type.String({ description: 'YYYY-MM-DD (UTC)' }),
        allow: Type.Integer(),
        deny: Type.Integer(),
        fraud: Type.Integer(),
      }),
    ),
    failures_24h: Type.Integer(),
    fraud_reports_open: Type.Integer(),
    enrollment: Type.Object({
      users_total: Type.Integer({ description: 'Users who sign in (all but the disabled).' }),
      users_enrolled: Type.Integer({ description: 'Of them, those with at least one device or token.' }),
    }),
  }),
  async handler({ deps }, { params }) {
    const board = await dashboard(deps, params.days);
    return {
      response: {
        sign_ins: board.signIns,
        failures_24h: board.failures24h,
        fraud_reports_open: board.fraudReportsOpen,
        enrollment: {
          users_total: board.enrollment.usersTotal,
          users_enrolled: board.enrollment.usersEnrolled,
        },
      },
    };
  },
});

const rolloutRoute = route({
  method: 'GET',
  path: '/v1/countersign/rollout',
  grant: 'read-resource',
  summary:
    "Each integration's enforcement date (before it, MFA is offered, not required) and how many of its users have " +
    'enrolled (every user may sign in to every integration).',
  params: NoParams,
  pathParams: NoParams,
  response: Type.Array(
    Type.Object({
      integration_key: Type.String(),
      name: Type.String(),
      enforcement_date: Type.Union([Type.String({ description: 'YYYY-MM-DD' }), Type.Null()]),
      users_total: Type.Integer(),
      users_enrolled: Type.Integer(),
    }),
  ),
  async handler({ deps }) {
    const rows = await rollout(deps);
    return {
      response: rows.map((row) => ({
        integration_key: row.app.ikey,
        name: row.app.name,
        enforcement_date: row.enforcementDate,
        users_total: row.usersTotal,
        users_enrolled: row.usersEnrolled,
      })),
    };
  },
});

const notEnrolledRoute = route({
  method: 'GET',
  path: '/v1/countersign/rollout/{integration_key}/not_enrolled',
  grant: 'read-resource',
  summary: "The integration's users who have not enrolled yet, in username order, a page at a time.",
  params: Params(paging(500)),
  pathParams: IntegrationPath,
  response: Type.Array(Type.Pick(UserSummarySchema, ['user_id', 'username', 'realname', 'email'])),
  paged: true,
  async handler({ deps }, { params, path }) {
    const app = await requireIntegration(deps, path.integration_key);
    const { users, total } = await notEnrolled(deps, app, params);
    return {
      response: users.map((user) => ({
        user_id: user.id,
        username: user.username,
        realname: user.realName ?? '',
        email: user.email ?? '',
      })),
      metadata: pageMetadata(total, params.offset, params.limit, users.length),
    };
  },
});

/** Sends one enrollment e-mail (the reminder template) with the activation link through the server's mailer. */
function reminderSender(mail: AdminMail, publicUrl: () => string): SendReminder {
  return async (user, link) => {
    const message = mail.templates.render('enrollment-reminder', {
      organization: mail.organization,
      name: user.realName ?? user.username,
      username: user.username,
      link: activationLink(publicUrl(), link.code),
      expires: `${new Date(link.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    });
    await mail.mailer.send({ ...message, to: user.email! });
  };
}

const reminders = route({
  method: 'POST',
  path: '/v1/countersign/rollout/{integration_key}/reminders',
  grant: 'write-resource',
  summary:
    'E-mails an enrollment reminder with a fresh activation link (valid 7 days) to a batch of the users who have ' +
    "not enrolled; users without an e-mail address are counted, not mailed. Send the answer's next_offset as " +
    'offset for the next batch.',
  params: Params({
    limit: Whole({ minimum: 1, maximum: 10_000, default: 1000, description: 'Users in this batch.' }),
    offset: Whole({
      minimum: 0,
      maximum: 1_000_000_000,
      default: 0,
      description: 'Where the batch starts among the users not enrolled.',
    }),
  }),
  pathParams: IntegrationPath,
  response: Type.Object({
    sent: Type.Integer(),
    without_email: Type.Integer(),
    failed: Type.Integer({ description: 'Reminders the mail server refused.' }),
    next_offset: Type.Union([Type.Integer(), Type.Null()], { description: 'Null: this batch was the last.' }),
  }),
  async handler({ deps, publicUrl, mail }, { actor, params, path }) {
    const app = await requireIntegration(deps, path.integration_key);
    if (!mail) throw new CountersignError('INVALID_INPUT', 'this server sends no e-mail');
    const result = await sendEnrollmentReminders(deps, actor, app, params, reminderSender(mail, publicUrl));
    return {
      response: {
        sent: result.sent,
        without_email: result.withoutEmail,
        failed: result.failed,
        next_offset: result.nextOffset,
      },
    };
  },
});

const enrollmentEmail = route({
  method: 'POST',
  path: '/v1/countersign/users/{user_id}/enrollment_email',
  grant: 'write-resource',
  summary:
    'E-mails the user an enrollment link (valid 7 days, replacing an unused one), as a rollout reminder does. ' +
    'The user needs an e-mail address and must not be disabled.',
  params: NoParams,
  pathParams: UserPath,
  response: Type.Object({ email: Type.String({ description: 'Where the e-mail went.' }) }),
  async handler({ deps, publicUrl, mail }, { actor, path }) {
    const user = await requireUserById(deps, path.user_id);
    if (!mail) throw new CountersignError('INVALID_INPUT', 'this server sends no e-mail');
    await sendEnrollmentEmail(deps, actor, user, reminderSender(mail, publicUrl));
    return { response: { email: user.email! } };
  },
});

export const ROLLOUT_ROUTES: AdminRoute[] = [
  dashboardRoute,
  rolloutRoute,
  notEnrolledRoute,
  reminders,
  enrollmentEmail,
];
